using Encounters.Lab;
using Wolverine;

namespace Encounters.Encounters;

/// <summary>A released lab report reached the encounter (recorded even after close: it happened).</summary>
public record DiagnosticReportReceived(Guid EncounterId, Guid ResultId, Guid OrderId, string TestCode, string TestName, int ReportVersion,
    bool Critical, bool Corrected, DateTimeOffset ReleasedAt);

/// <summary>The encounter's side of a lab release, delivered durably by Wolverine (a local durable queue).</summary>
public static class RecordLabReportHandler
{
    public static Events Handle(LabReportReleased released, [WriteAggregate(nameof(LabReportReleased.EncounterId))] Encounter encounter,
        IDocumentSession session, IMessageContext context)
    {
        EventMetadataMiddleware.Stamp(session, released.ReleasedBy, context.TenantId ?? "", released.FacilityId);
        return
        [
            new DiagnosticReportReceived(encounter.Id, released.ResultId, released.OrderId, released.TestCode, released.TestName,
                released.ReportVersion, released.Critical, released.Corrected, released.ReleasedAt),
        ];
    }
}
