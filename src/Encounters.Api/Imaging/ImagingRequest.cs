using System.Text.Json.Serialization;

namespace Encounters.Imaging;

/// <summary>Every event of an imaging request's stream names the request and the encounter it belongs to.</summary>
public interface IImagingEvent
{
    Guid RequestId { get; }
    Guid EncounterId { get; }
}

/// <summary>A coded conclusion of the report (FHIR DiagnosticReport.conclusionCode), e.g. SNOMED CT or ICD-10.</summary>
public record CodedConclusion(string System, string Code, string Display);

// Events of one imaging request's stream (FHIR ServiceRequest → ImagingStudy → DiagnosticReport; stream id = request id).
public record ImagingRequested(Guid RequestId, Guid EncounterId, Guid PatientId, string FacilityId, string ProcedureCode,
    string ProcedureName, string Modality, string BodySite, string PriceCode, int CatalogVersion, OrderPriority Priority,
    string ClinicalIndication, string OrderedBy, string OrderedByName, DateTimeOffset RequestedAt) : IImagingEvent, IVisitFact
{
    public TimelineLine Describe() => new("imaging.ordered", $"{ApiText.Of(Priority)} imaging ordered: {ProcedureName} ({ClinicalIndication})");
}

/// <summary>The study was acquired (ImagingStudy available); the instance UID and accession link it to the modality or a PACS.</summary>
public record ImagingStudyPerformed(Guid RequestId, Guid EncounterId, DateTimeOffset PerformedAt, string Technique, string? StudyInstanceUid,
    string? AccessionNumber, string PerformedBy, DateTimeOffset RecordedAt) : IImagingEvent, IVisitFact
{
    public TimelineLine Describe() => new("imaging.performed", $"Imaging study performed: {Technique}");
}

/// <summary>The study could not be done (ImagingStudy cancelled): the request ends with the reason.</summary>
public record ImagingStudyNotPerformed(Guid RequestId, Guid EncounterId, string Reason, string RecordedBy, DateTimeOffset RecordedAt) : IImagingEvent, IVisitFact
{
    public TimelineLine Describe() => new("imaging.not-performed", $"Imaging study not performed: {Reason}");
}

/// <summary>A version of the report written by a radiologist; an addendum is a version written after a release.</summary>
public record ImagingReportDrafted(Guid RequestId, Guid EncounterId, int ReportVersion, string Findings, string Impression,
    CodedConclusion? Conclusion, bool Critical, bool Addendum, string AuthoredBy, DateTimeOffset AuthoredAt) : IImagingEvent, IVisitFact
{
    public TimelineLine Describe() => new("imaging.reported", $"{(Addendum ? "Imaging addendum" : "Imaging report")} written (version {ReportVersion})");
}

public record ImagingReportVerified(Guid RequestId, Guid EncounterId, int ReportVersion, string VerifiedBy, DateTimeOffset VerifiedAt) : IImagingEvent, IVisitFact
{
    public TimelineLine Describe() => new("imaging.verified", $"Imaging report verified (version {ReportVersion})");
}

public record ImagingReportReleased(Guid RequestId, Guid EncounterId, int ReportVersion, bool Critical, bool Addendum, string OrderedBy,
    DateTimeOffset ReleasedAt) : IImagingEvent, IVisitFact
{
    public TimelineLine Describe() => new("imaging.released", $"Imaging report released{(Addendum ? " (addendum)" : "")}{(Critical ? " — CRITICAL finding" : "")}");
}

public record ImagingCriticalFindingAcknowledged(Guid RequestId, Guid EncounterId, int ReportVersion, string Note, string AcknowledgedBy,
    DateTimeOffset AcknowledgedAt) : IImagingEvent, IVisitFact
{
    public TimelineLine Describe() => new("imaging.acknowledged", $"Critical imaging finding acknowledged: {Note}");
}

[JsonConverter(typeof(JsonStringEnumConverter<StudyState>))]
public enum StudyState
{
    [JsonStringEnumMemberName("registered")] Registered,
    [JsonStringEnumMemberName("available")] Available,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

[JsonConverter(typeof(JsonStringEnumConverter<ReportStage>))]
public enum ReportStage
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("drafted")] Drafted,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("released")] Released,
}

/// <summary>The request's write model: what performing, reporting, verification, release and acknowledgement decide on.</summary>
public sealed partial record ImagingRequest(Guid Id, Guid EncounterId, Guid PatientId, string FacilityId, string ProcedureCode,
    string ProcedureName, string PriceCode, string OrderedBy) : Scope.IFacilityScoped
{
    public static string Resource => "Imaging request";
    public long Version { get; set; }
    public StudyState Study { get; init; }
    public ReportStage Stage { get; init; }
    public int ReportVersion { get; init; }
    public string? AuthoredBy { get; init; }
    public bool Critical { get; init; }
    public bool Addendum { get; init; }
    public bool EverReleased { get; init; }

    /// <summary>The last released version is critical and the ordering clinician has not acknowledged it yet.</summary>
    public bool AwaitingAcknowledgement { get; init; }

    public static ImagingRequest Create(ImagingRequested e) => new(e.RequestId, e.EncounterId, e.PatientId, e.FacilityId, e.ProcedureCode,
        e.ProcedureName, e.PriceCode, e.OrderedBy);

    public ImagingRequest Apply(ImagingStudyPerformed _) => this with { Study = StudyState.Available };
    public ImagingRequest Apply(ImagingStudyNotPerformed _) => this with { Study = StudyState.Cancelled };

    public ImagingRequest Apply(ImagingReportDrafted e) => this with
    {
        Stage = ReportStage.Drafted, ReportVersion = e.ReportVersion, AuthoredBy = e.AuthoredBy, Critical = e.Critical, Addendum = e.Addendum,
    };

    public ImagingRequest Apply(ImagingReportVerified _) => this with { Stage = ReportStage.Verified };

    public ImagingRequest Apply(ImagingReportReleased e) =>
        this with { Stage = ReportStage.Released, EverReleased = true, AwaitingAcknowledgement = e.Critical };

    public ImagingRequest Apply(ImagingCriticalFindingAcknowledged _) => this with { AwaitingAcknowledgement = false };

    /// <summary>The state after an event not yet applied (not named Evolve: Marten would build the aggregate with it).</summary>
    public ImagingRequest After(object @event) => @event switch
    {
        ImagingStudyPerformed e => Apply(e),
        ImagingStudyNotPerformed e => Apply(e),
        ImagingReportDrafted e => Apply(e),
        ImagingReportVerified e => Apply(e),
        ImagingReportReleased e => Apply(e),
        ImagingCriticalFindingAcknowledged e => Apply(e),
        _ => this,
    };

    /// <summary>FHIR DiagnosticReport.status: registered, preliminary (drafted or verified), final, appended (addendum released).</summary>
    public string ReportStatus => Stage switch
    {
        ReportStage.None => "registered",
        ReportStage.Released => Addendum ? "appended" : "final",
        _ => EverReleased ? "appended" : "preliminary",
    };

    public (ImagingResponse, Wolverine.Marten.Events) Decided(params object[] events)
    {
        var next = events.Aggregate(this, (state, e) => state.After(e));
        return (ImagingResponse.From(next, Version + events.Length), [.. events]);
    }
}

/// <summary>What an imaging command answers.</summary>
public record ImagingResponse(Guid Id, Guid EncounterId, StudyState Study, [property: ApiValues(typeof(DiagnosticReportStatus))] string ReportStatus, ReportStage Stage, int ReportVersion,
    bool Critical, bool AwaitingAcknowledgement, long Version) : Scope.IVersioned
{
    public static ImagingResponse From(ImagingRequest r, long version) => new(r.Id, r.EncounterId, r.Study, r.ReportStatus, r.Stage,
        r.ReportVersion, r.Critical, r.AwaitingAcknowledgement, version);
}
