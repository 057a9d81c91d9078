using System.Text.Json.Serialization;
using Encounters.Patients;

namespace Encounters.Lab;

/// <summary>
/// One analyte's value as judged: the range and limits used travel with it, so flags replay identically. A coded value
/// carries its code and display (flag N, A or AA as the value set said then); free text has no flag.
/// </summary>
public record AnalyteResult(string Code, string Name, decimal? Value, string Unit, decimal? ReferenceLow, decimal? ReferenceHigh,
    decimal? CriticalLow, decimal? CriticalHigh, string? Flag, string? ValueCode = null, string? ValueDisplay = null, string? Text = null)
{
    [JsonIgnore] public bool IsCritical => Flag is "LL" or "HH" or "AA";
}

// Events of the result stream (one FHIR DiagnosticReport per order item; stream id = order item id).
public record ResultEntered(Guid ResultId, Guid OrderId, Guid EncounterId, Guid PatientId, string FacilityId, Guid SampleId,
    string TestCode, string TestName, int ReportVersion, AnalyteResult[] Analytes, bool Critical, int CatalogVersion, string? Comment,
    string EnteredBy, string OrderedBy, OrderPriority Priority, DateTimeOffset EnteredAt, DateTimeOffset? OrderedAt = null) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("result.entered", $"{TestName} result entered (version {ReportVersion})");
}

public record ResultVerified(Guid ResultId, Guid OrderId, Guid EncounterId, int ReportVersion, string VerifiedBy,
    DateTimeOffset VerifiedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("result.verified", $"Result verified (version {ReportVersion})");
}

public record ResultReleased(Guid ResultId, Guid OrderId, Guid EncounterId, int ReportVersion, bool Critical, bool Corrected,
    string OrderedBy, DateTimeOffset ReleasedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("result.released", $"Result released{(Corrected ? " (corrected)" : "")}{(Critical ? " — CRITICAL" : "")}");
}

public record CriticalResultAcknowledged(Guid ResultId, Guid OrderId, Guid EncounterId, int ReportVersion, string Note,
    string AcknowledgedBy, DateTimeOffset AcknowledgedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("result.acknowledged", $"Critical result acknowledged: {Note}");
}

/// <summary>A released report is corrected: a new version, to be verified and released again; the original stays readable.</summary>
public record ResultCorrected(Guid ResultId, Guid OrderId, Guid EncounterId, int ReportVersion, AnalyteResult[] Analytes, bool Critical,
    int CatalogVersion, string Reason, string EnteredBy, DateTimeOffset CorrectedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("result.corrected", $"Result corrected (version {ReportVersion}): {Reason}");
}

[JsonConverter(typeof(JsonStringEnumConverter<ResultStage>))]
public enum ResultStage
{
    [JsonStringEnumMemberName("entered")] Entered,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("released")] Released,
}

/// <summary>The result's write model: what verification, release, acknowledgement and correction decide on.</summary>
public sealed partial record LabResult(Guid Id, Guid OrderId, Guid EncounterId, string FacilityId, string TestCode, string TestName,
    string OrderedBy) : Scope.IFacilityScoped
{
    public static string Resource => "Result";

    public long Version { get; set; }
    public int ReportVersion { get; init; }
    public ResultStage Stage { get; init; }
    public bool Corrected { get; init; }
    public string EnteredBy { get; init; } = "";
    public bool Critical { get; init; }
    public bool CriticalAcknowledged { get; init; }
    public OrderPriority Priority { get; init; }

    /// <summary>When the test was ordered (null for results entered before it was recorded): the start of its turnaround.</summary>
    public DateTimeOffset? OrderedAt { get; init; }

    public static LabResult Create(ResultEntered e) =>
        new(e.ResultId, e.OrderId, e.EncounterId, e.FacilityId, e.TestCode, e.TestName, e.OrderedBy)
    {
        ReportVersion = e.ReportVersion, Stage = ResultStage.Entered, EnteredBy = e.EnteredBy, Critical = e.Critical,
        Priority = e.Priority, OrderedAt = e.OrderedAt,
    };

    public LabResult Apply(ResultEntered e) =>
        this with { ReportVersion = e.ReportVersion, Stage = ResultStage.Entered, EnteredBy = e.EnteredBy, Critical = e.Critical };

    public LabResult Apply(ResultVerified _) => this with { Stage = ResultStage.Verified };
    public LabResult Apply(ResultReleased _) => this with { Stage = ResultStage.Released, CriticalAcknowledged = false };
    public LabResult Apply(CriticalResultAcknowledged _) => this with { CriticalAcknowledged = true };

    public LabResult Apply(ResultCorrected e) => this with
    {
        ReportVersion = e.ReportVersion, Stage = ResultStage.Entered, Corrected = true, EnteredBy = e.EnteredBy, Critical = e.Critical,
    };

    /// <summary>FHIR DiagnosticReport.status of the current version.</summary>
    public string Status => Corrected ? "corrected" : Stage == ResultStage.Released ? "final" : "preliminary";
}

/// <summary>What a result command answers.</summary>
public record LabResultResponse(Guid Id, Guid OrderId, string TestCode, int ReportVersion, [property: ApiValues(typeof(DiagnosticReportStatus))] string Status, ResultStage Stage, bool Critical,
    bool CriticalAcknowledged, long Version) : Scope.IVersioned
{
    public static LabResultResponse From(LabResult r, long version) => new(r.Id, r.OrderId, r.TestCode, r.ReportVersion, r.Status,
        r.Stage, r.Critical, r.CriticalAcknowledged, version);
}

public static class LabResultDecisions
{
    public static (LabResultResponse, Wolverine.Marten.Events) Decided(this LabResult result, params object[] events)
    {
        var next = events.Aggregate(result, (state, e) => state.After(e));
        return (LabResultResponse.From(next, result.Version + events.Length), [.. events]);
    }
}

/// <summary>
/// Judging values against the catalog: L/H outside the reference range, LL/HH beyond the critical limits; a coded value
/// takes its value set's flag (A abnormal, AA critical).
/// </summary>
public static class Interpretation
{
    public static AnalyteResult Judge(Analyte analyte, AnalyteValue value, AdministrativeSex sex, int ageYears)
    {
        if (analyte.Type == ResultValueType.Numeric) return Judge(analyte, value.Value!.Value, sex, ageYears);
        if (analyte.Type == ResultValueType.Text)
            return new AnalyteResult(analyte.Code, analyte.Name, null, "", null, null, null, null, null, Text: value.Text!.Trim());
        var answer = analyte.ValueSet!.Single(v => v.Code == value.ValueCode);
        return new AnalyteResult(analyte.Code, analyte.Name, null, "", null, null, null, null, answer.Flag, answer.Code, answer.Display);
    }

    public static AnalyteResult Judge(Analyte analyte, decimal value, AdministrativeSex sex, int ageYears)
    {
        var range = analyte.RangeFor(sex, ageYears);
        var flag = value < analyte.CriticalLow ? "LL"
            : value > analyte.CriticalHigh ? "HH"
            : value < range?.Low ? "L"
            : value > range?.High ? "H"
            : "N";
        return new AnalyteResult(analyte.Code, analyte.Name, value, analyte.Unit, range?.Low, range?.High, analyte.CriticalLow,
            analyte.CriticalHigh, flag);
    }

    public static int AgeInYears(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year;
        return dateOfBirth > on.AddYears(-age) ? age - 1 : age;
    }
}

public static class LabResultSchema
{
    public static void Configure(StoreOptions opts) => opts.Events.AddEventTypes([
        typeof(ResultEntered), typeof(ResultVerified), typeof(ResultReleased), typeof(CriticalResultAcknowledged), typeof(ResultCorrected),
    ]);
}
