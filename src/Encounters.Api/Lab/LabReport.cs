using Encounters.Audit;
using System.Text.Json.Serialization;
using Encounters.Encounters;
using JasperFx.Events;
using JasperFx.Events.Projections;

namespace Encounters.Lab;

/// <summary>One version of a report: values as judged, who entered, verified and released it.</summary>
public sealed class ReportVersion
{
    public int Version { get; set; }

    /// <summary>FHIR DiagnosticReport.status of this version: preliminary, final or corrected.</summary>
    [ApiValues(typeof(DiagnosticReportStatus))] public string Status { get; set; } = "preliminary";

    public AnalyteResult[] Analytes { get; set; } = [];
    public bool Critical { get; set; }
    public int CatalogVersion { get; set; }
    public string? Comment { get; set; }
    public string? CorrectionReason { get; set; }
    public Actor? EnteredBy { get; set; }
    public DateTimeOffset EnteredAt { get; set; }
    public Actor? VerifiedBy { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public Actor? ReleasedBy { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
}

/// <summary>
/// A lab report with every version it went through: a correction never hides the original. Kept inline
/// for lists, and aggregated live for a point-in-time read.
/// </summary>
public sealed partial class LabReport : IVersioned, Scope.IPatientChart
{
    public static string Resource => "Result";

    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public Guid OrderId { get; set; }
    public Guid EncounterId { get; set; }
    public Guid PatientId { get; set; }
    public Guid SampleId { get; set; }
    public string TestCode { get; set; } = "";
    public string TestName { get; set; } = "";

    /// <summary>FHIR status of the report: preliminary until a version is released, then final or corrected.</summary>
    [ApiValues(typeof(DiagnosticReportStatus))] public string Status { get; set; } = "preliminary";

    /// <summary>When the first version was entered (the report list's dates).</summary>
    public DateTimeOffset ResultedAt { get; set; }

    public bool Critical { get; set; }
    public bool CriticalAcknowledged { get; set; }
    public Actor? AcknowledgedBy { get; set; }
    public string? AcknowledgementNote { get; set; }
    public List<ReportVersion> Versions { get; set; } = [];
    public long Version { get; set; }

    private ReportVersion Current => Versions[^1];

    public static LabReport Create(IEvent<ResultEntered> e)
    {
        var report = new LabReport
        {
            Id = e.Data.ResultId, FacilityId = e.Data.FacilityId, OrderId = e.Data.OrderId, EncounterId = e.Data.EncounterId,
            PatientId = e.Data.PatientId, SampleId = e.Data.SampleId, TestCode = e.Data.TestCode, TestName = e.Data.TestName,
            ResultedAt = e.Data.EnteredAt,
        };
        report.Apply(e);
        return report;
    }

    public void Apply(IEvent<ResultEntered> e)
    {
        // A re-entry before verification replaces the unverified preliminary version's place as current.
        Versions.Add(new ReportVersion
        {
            Version = e.Data.ReportVersion, Analytes = e.Data.Analytes, Critical = e.Data.Critical, CatalogVersion = e.Data.CatalogVersion,
            Comment = e.Data.Comment, EnteredBy = Actor.Of(e), EnteredAt = e.Data.EnteredAt,
        });
        Version++;
    }

    public void Apply(IEvent<ResultVerified> e)
    {
        Current.VerifiedBy = Actor.Of(e);
        Current.VerifiedAt = e.Data.VerifiedAt;
        Version++;
    }

    public void Apply(IEvent<ResultReleased> e)
    {
        Current.ReleasedBy = Actor.Of(e);
        Current.ReleasedAt = e.Data.ReleasedAt;
        Current.Status = e.Data.Corrected ? "corrected" : "final";
        Status = Current.Status;
        Critical = e.Data.Critical;
        CriticalAcknowledged = false;
        Version++;
    }

    public void Apply(IEvent<CriticalResultAcknowledged> e)
    {
        CriticalAcknowledged = true;
        AcknowledgedBy = Actor.Of(e);
        AcknowledgementNote = e.Data.Note;
        Version++;
    }

    public void Apply(IEvent<ResultCorrected> e)
    {
        Versions.Add(new ReportVersion
        {
            Version = e.Data.ReportVersion, Status = "corrected", Analytes = e.Data.Analytes, Critical = e.Data.Critical,
            CatalogVersion = e.Data.CatalogVersion, CorrectionReason = e.Data.Reason, EnteredBy = Actor.Of(e), EnteredAt = e.Data.CorrectedAt,
        });
        Version++;
    }

    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<LabReport>(SnapshotLifecycle.Inline);
        IndexedColumns.Store<LabReport>(opts, x => x.EncounterId, x => x.PatientId, x => x.FacilityId);
        opts.Schema.For<LabReport>().Index(x => x.EncounterId).Index(x => x.PatientId).Index(x => x.FacilityId);
    }
}

public static class LabReportEndpoints
{
    /// <summary>A report with all its versions; <c>?asOf=</c> rebuilds it as it stood then.</summary>
    [ReadsChart("result")]
    [WolverineGet("/api/lab/results/{id}", Name = "GetLabResult"), Authorize(Actions.ReadResult)]
    public static async Task<LabReport?> Get(Guid id, DateTimeOffset? asOf, IQuerySession session, CancellationToken ct)
    {
        var report = asOf is null
            ? await session.LoadAsync<LabReport>(id, ct)
            : await session.Events.AggregateStreamAsync<LabReport>(id, timestamp: asOf, token: ct);
        return report;
    }

    [ReadsChart("encounter.results")]
    [WolverineGet("/api/encounters/{id}/results", Name = "ListEncounterResults"), Authorize(Actions.ReadResult)]
    public static async Task<IReadOnlyList<LabReport>> ForEncounter(Guid id, IQuerySession session, CurrentScope scope,
        CancellationToken ct) =>
        await session.Query<LabReport>().Where(r => r.EncounterId == id && r.FacilityId == scope.FacilityId).ToListAsync(ct);
}
