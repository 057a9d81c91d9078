using Encounters.Audit;
using Encounters.Encounters;
using JasperFx.Events;
using JasperFx.Events.Projections;

namespace Encounters.Imaging;

/// <summary>One version of an imaging report: an addendum is a later version; earlier versions stay as they were released.</summary>
public sealed class ImagingReportVersion
{
    public int Version { get; set; }

    /// <summary>FHIR DiagnosticReport.status of this version: preliminary, final, or appended (an addendum).</summary>
    [ApiValues(typeof(DiagnosticReportStatus))] public string Status { get; set; } = "preliminary";

    public bool Addendum { get; set; }
    public string Findings { get; set; } = "";
    public string Impression { get; set; } = "";
    public CodedConclusion? Conclusion { get; set; }
    public bool Critical { get; set; }
    public Actor? AuthoredBy { get; set; }
    public DateTimeOffset AuthoredAt { get; set; }
    public Actor? VerifiedBy { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public Actor? ReleasedBy { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

/// <summary>An imaging request as the clinic, the radiographers and the radiologists follow it: the order, the study, every report version.</summary>
public sealed partial class ImagingView : IVersioned, Scope.IPatientChart
{
    public static string Resource => "Imaging request";

    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public Guid EncounterId { get; set; }
    public Guid PatientId { get; set; }
    public string ProcedureCode { get; set; } = "";
    public string ProcedureName { get; set; } = "";
    public string Modality { get; set; } = "";
    public string BodySite { get; set; } = "";
    public OrderPriority Priority { get; set; }
    public string ClinicalIndication { get; set; } = "";
    public Actor? OrderedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>FHIR ImagingStudy.status: registered (waiting), available (performed), cancelled (not performed).</summary>
    public StudyState Study { get; set; }

    public DateTimeOffset? PerformedAt { get; set; }
    public string? Technique { get; set; }
    public string? StudyInstanceUid { get; set; }
    public string? AccessionNumber { get; set; }
    public Actor? PerformedBy { get; set; }
    public string? NotPerformedReason { get; set; }
    public ReportStage Stage { get; set; }

    /// <summary>FHIR DiagnosticReport.status of the report as the clinic sees it.</summary>
    [ApiValues(typeof(DiagnosticReportStatus))] public string ReportStatus { get; set; } = "registered";

    public bool Critical { get; set; }
    public bool AwaitingAcknowledgement { get; set; }
    public Actor? AcknowledgedBy { get; set; }
    public string? AcknowledgementNote { get; set; }
    public DateTimeOffset? FirstReportedAt { get; set; }
    public DateTimeOffset? FirstVerifiedAt { get; set; }
    public DateTimeOffset? FirstReleasedAt { get; set; }
    public DateTimeOffset? StageSince { get; set; }
    public List<ImagingReportVersion> Versions { get; set; } = [];
    public long Version { get; set; }

    private ImagingReportVersion Current => Versions[^1];

    public static ImagingView Create(IEvent<ImagingRequested> e) => new()
    {
        Id = e.Data.RequestId, FacilityId = e.Data.FacilityId, EncounterId = e.Data.EncounterId, PatientId = e.Data.PatientId,
        ProcedureCode = e.Data.ProcedureCode, ProcedureName = e.Data.ProcedureName, Modality = e.Data.Modality, BodySite = e.Data.BodySite,
        Priority = e.Data.Priority, ClinicalIndication = e.Data.ClinicalIndication, OrderedBy = Actor.Of(e), RequestedAt = e.Data.RequestedAt,
        StageSince = e.Data.RequestedAt, Version = 1,
    };

    public void Apply(IEvent<ImagingStudyPerformed> e)
    {
        (Study, PerformedAt, Technique, StudyInstanceUid, AccessionNumber, PerformedBy, StageSince) = (StudyState.Available,
            e.Data.PerformedAt, e.Data.Technique, e.Data.StudyInstanceUid, e.Data.AccessionNumber, Actor.Of(e), e.Data.RecordedAt);
        Version++;
    }

    public void Apply(IEvent<ImagingStudyNotPerformed> e)
    {
        (Study, NotPerformedReason, ReportStatus, StageSince) = (StudyState.Cancelled, e.Data.Reason, "cancelled", e.Data.RecordedAt);
        Version++;
    }

    public void Apply(IEvent<ImagingReportDrafted> e)
    {
        // Every draft is kept: a re-draft before verification and an addendum after release are later versions.
        Versions.Add(new ImagingReportVersion
        {
            Version = e.Data.ReportVersion, Addendum = e.Data.Addendum, Findings = e.Data.Findings, Impression = e.Data.Impression,
            Conclusion = e.Data.Conclusion, Critical = e.Data.Critical, AuthoredBy = Actor.Of(e), AuthoredAt = e.Data.AuthoredAt,
        });
        (Stage, FirstReportedAt, StageSince) = (ReportStage.Drafted, FirstReportedAt ?? e.Data.AuthoredAt, e.Data.AuthoredAt);
        if (FirstReleasedAt is null) ReportStatus = "preliminary";
        Version++;
    }

    public void Apply(IEvent<ImagingReportVerified> e)
    {
        (Current.VerifiedBy, Current.VerifiedAt) = (Actor.Of(e), e.Data.VerifiedAt);
        (Stage, FirstVerifiedAt, StageSince) = (ReportStage.Verified, FirstVerifiedAt ?? e.Data.VerifiedAt, e.Data.VerifiedAt);
        Version++;
    }

    public void Apply(IEvent<ImagingReportReleased> e)
    {
        (Current.ReleasedBy, Current.ReleasedAt) = (Actor.Of(e), e.Data.ReleasedAt);
        Current.Status = ReportStatus = e.Data.Addendum ? "appended" : "final";
        (Stage, Critical, AwaitingAcknowledgement) = (ReportStage.Released, e.Data.Critical, e.Data.Critical);
        (FirstReleasedAt, StageSince) = (FirstReleasedAt ?? e.Data.ReleasedAt, e.Data.ReleasedAt);
        Version++;
    }

    public void Apply(IEvent<ImagingCriticalFindingAcknowledged> e)
    {
        (AwaitingAcknowledgement, AcknowledgedBy, AcknowledgementNote) = (false, Actor.Of(e), e.Data.Note);
        Version++;
    }

    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<ImagingView>(SnapshotLifecycle.Inline);
        opts.Schema.For<ImagingView>().Index(x => x.EncounterId).Index(x => x.FacilityId);
    }
}

public static class ImagingViewEndpoints
{
    /// <summary>An imaging request with its study and every report version (addenda included; the original stays readable).</summary>
    [ReadsChart("imaging")]
    [WolverineGet("/api/imaging/{id}", Name = "GetImagingRequest"), Authorize(Actions.ReadImaging)]
    public static Task<ImagingView?> Get(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<ImagingView>(id, ct);

    /// <summary>The imaging requests of a visit, in the order they were placed.</summary>
    [ReadsChart("encounter.imaging")]
    [WolverineGet("/api/encounters/{id}/imaging", Name = "ListEncounterImaging"), Authorize(Actions.ReadImaging)]
    public static async Task<IReadOnlyList<ImagingView>> ForEncounter(Guid id, IQuerySession session, CurrentScope scope,
        CancellationToken ct) =>
        await session.Query<ImagingView>().Where(v => v.EncounterId == id && v.FacilityId == scope.FacilityId)
            .OrderBy(v => v.RequestedAt).ToListAsync(ct);
}
