using System.Text.Json.Serialization;
using Encounters.Audit;

namespace Encounters.Patients;

/// <summary>FHIR Condition on the problem list: an ICD-10 code, onset, status, and the visit where it was recorded.</summary>
public record Condition(Guid Id, string Code, string Display, DateOnly? Onset, ConditionStatus Status, Guid? EncounterId,
    string RecordedBy, string RecordedByName, DateTimeOffset RecordedAt);

public record ConditionRecorded(Guid PatientId, Condition Condition);

public record ConditionStatusChanged(Guid PatientId, Guid ConditionId, ConditionStatus Status, string Reason, DateTimeOffset ChangedAt);

[JsonConverter(typeof(JsonStringEnumConverter<ConditionStatus>))]
public enum ConditionStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("resolved")] Resolved,
}

public sealed partial class Patient
{
    public List<Condition> Problems { get; set; } = [];

    public void Apply(ConditionRecorded e) => Problems.Add(e.Condition);

    public void Apply(ConditionStatusChanged e) =>
        Problems = Problems.Select(p => p.Id == e.ConditionId ? p with { Status = e.Status } : p).ToList();
}

public record ProblemList(Guid PatientId, IReadOnlyList<Condition> Problems, long Version) : IVersioned;

/// <summary>
/// One problem; or <c>promoteFromEncounterId</c>: every diagnosis of that visit's assessment not already listed; or
/// <c>conditionId</c> with a status and reason (resolved).
/// </summary>
public record RecordProblem(string? Code, string? Display, DateOnly? Onset, ConditionStatus? Status, Guid? EncounterId,
    Guid? PromoteFromEncounterId, Guid? ConditionId = null, string? Reason = null);

public static class RecordProblemEndpoint
{
    public static async Task<VisitDiagnoses?> LoadAsync(RecordProblem command, IQuerySession session, CancellationToken ct) =>
        command.PromoteFromEncounterId is { } id && id != Guid.Empty ? await session.LoadAsync<VisitDiagnoses>(id, ct) : null;

    public static ProblemDetails Validate(RecordProblem c, [WriteAggregate] Patient patient, VisitDiagnoses? visit, CurrentScope scope,
        TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (c.ConditionId is { } id)
        {
            if (patient.Problems.All(p => p.Id != id)) errors["conditionId"] = ["No such problem on this patient."];
            if (c.Status is null) errors["status"] = ["Required with conditionId."];
            Requests.Limits.Text(errors, "reason", c.Reason, Requests.Limits.Reason, required: true);
            return Problems.Validation(errors);
        }
        if (c.PromoteFromEncounterId is not null)
        {
            if (c.Code is not null || c.Display is not null) errors["promoteFromEncounterId"] = ["Alone: not with a code."];
            else if (!scope.IsHere(visit) || visit.PatientId != patient.Id)
                errors["promoteFromEncounterId"] = ["No visit of this patient in this facility."];
            else if (New(visit.Diagnoses, patient).Length == 0)
                return Problems.Conflict("problem.nothing_to_promote", "Every diagnosis of the assessment is already on the problem list.");
            return Problems.Validation(errors);
        }
        if (c.Code is null || !Diagnosis.CodeShape().IsMatch(c.Code)) errors["code"] = ["An ICD-10 code such as I10."];
        Requests.Limits.Text(errors, "display", c.Display, Requests.Limits.Name, required: true);
        if (c.Onset is { } onset && (onset < Requests.ClinicalDates.Earliest || onset > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            errors["onset"] = ["A date in the past."];
        return Problems.Validation(errors);
    }

    /// <summary>Adds to the problem list, or promotes a visit's assessed diagnoses in one call.</summary>
    [WolverinePost("/api/patients/{id}/problems", Name = "RecordProblem"), Authorize(Actions.RecordProblem)]
    public static (ProblemList, Events) Post(RecordProblem c, [WriteAggregate] Patient patient, VisitDiagnoses? visit, CurrentScope scope,
        TimeProvider clock)
    {
        Condition Make(string code, string display, DateOnly? onset, ConditionStatus status, Guid? encounter) =>
            new(Guid.CreateVersion7(), code, display.Trim(), onset, status, encounter, scope.UserId, scope.UserName, clock.GetUtcNow());

        if (c.ConditionId is { } id)
        {
            var changed = new ConditionStatusChanged(patient.Id, id, c.Status!.Value, c.Reason!.Trim(), clock.GetUtcNow());
            return (new ProblemList(patient.Id, patient.Problems.Select(p => p.Id == id ? p with { Status = changed.Status } : p).ToList(),
                patient.Version + 1), [changed]);
        }
        var conditions = visit is not null
            ? New(visit.Diagnoses, patient).Select(d => Make(d.Code, d.Display, null, ConditionStatus.Active, visit.Id)).ToArray()
            : [Make(c.Code!, c.Display!, c.Onset, c.Status ?? ConditionStatus.Active, c.EncounterId)];
        return (new ProblemList(patient.Id, [.. patient.Problems, .. conditions], patient.Version + conditions.Length),
            [.. conditions.Select(x => new ConditionRecorded(patient.Id, x))]);
    }

    private static Diagnosis[] New(Diagnosis[] diagnoses, Patient patient) =>
        diagnoses.Where(d => patient.Problems.All(p => p.Code != d.Code || p.Status != ConditionStatus.Active)).ToArray();
}

public static class GetProblemsEndpoint
{
    public static Task<Patient?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<Patient>(id, ct);

    [ReadsChart("patient.problems")]
    [WolverineGet("/api/patients/{id}/problems", Name = "GetProblems"), Authorize(Actions.ReadProblems)]
    public static ProblemList? Get(Guid id, [NotBody] Patient? patient) =>
        patient is null ? null : new ProblemList(patient.Id, patient.Problems, patient.Version);
}
