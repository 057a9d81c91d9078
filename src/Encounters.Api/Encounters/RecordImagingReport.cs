using Encounters.Imaging;
using Wolverine;

namespace Encounters.Encounters;

/// <summary>A released imaging report reached the encounter (recorded even after close: it happened).</summary>
public record ImagingReportReceived(Guid EncounterId, Guid RequestId, string ProcedureCode, string ProcedureName, int ReportVersion,
    bool Critical, bool Addendum, DateTimeOffset ReleasedAt);

/// <summary>The ordering clinician acknowledged the critical finding of an imaging report of this visit.</summary>
public record ImagingCriticalFindingCleared(Guid EncounterId, Guid RequestId, DateTimeOffset AcknowledgedAt);

/// <summary>The encounter's side of the imaging module's facts, delivered durably by Wolverine (local durable queues).</summary>
public static class RecordImagingReportHandler
{
    public static Events Handle(RadiologyReportReleased released,
        [WriteAggregate(nameof(RadiologyReportReleased.EncounterId))] Encounter encounter, IDocumentSession session, IMessageContext context)
    {
        EventMetadataMiddleware.Stamp(session, released.ReleasedBy, context.TenantId ?? "", released.FacilityId);
        return
        [
            new ImagingReportReceived(encounter.Id, released.RequestId, released.ProcedureCode, released.ProcedureName, released.ReportVersion,
                released.Critical, released.Addendum, released.ReleasedAt),
        ];
    }

    public static Events Handle(RadiologyCriticalFindingAcknowledged acknowledged,
        [WriteAggregate(nameof(RadiologyCriticalFindingAcknowledged.EncounterId))] Encounter encounter, IDocumentSession session,
        IMessageContext context)
    {
        EventMetadataMiddleware.Stamp(session, acknowledged.AcknowledgedBy, context.TenantId ?? "", acknowledged.FacilityId);
        return [new ImagingCriticalFindingCleared(encounter.Id, acknowledged.RequestId, acknowledged.AcknowledgedAt)];
    }
}
