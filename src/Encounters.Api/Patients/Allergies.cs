using System.Text.Json.Serialization;
using Encounters.Audit;

namespace Encounters.Patients;

/// <summary>What the patient reacts to: a formulary code or an allergy class (e.g. "penicillins"), and always its text.</summary>
public record Substance(string? Code, string Text);

/// <summary>FHIR AllergyIntolerance, as recorded.</summary>
public record AllergyIntolerance(Guid Id, Substance Substance, string? Reaction, AllergySeverity? Severity, AllergyCriticality Criticality,
    AllergyStatus Status, string RecordedBy, string RecordedByName, DateTimeOffset RecordedAt, string? StatusReason = null);

public record AllergyIntoleranceRecorded(Guid PatientId, AllergyIntolerance Allergy);

public record AllergyIntoleranceStatusChanged(Guid PatientId, Guid AllergyId, AllergyStatus Status, string Reason, DateTimeOffset ChangedAt);

/// <summary>The patient was asked and has no known allergies: a fact, unlike never having been asked.</summary>
public record NoKnownAllergiesRecorded(Guid PatientId, string RecordedBy, string RecordedByName, DateTimeOffset RecordedAt);

[JsonConverter(typeof(JsonStringEnumConverter<AllergySeverity>))]
public enum AllergySeverity
{
    [JsonStringEnumMemberName("mild")] Mild,
    [JsonStringEnumMemberName("moderate")] Moderate,
    [JsonStringEnumMemberName("severe")] Severe,
}

[JsonConverter(typeof(JsonStringEnumConverter<AllergyCriticality>))]
public enum AllergyCriticality
{
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("unable-to-assess")] UnableToAssess,
}

[JsonConverter(typeof(JsonStringEnumConverter<AllergyStatus>))]
public enum AllergyStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("inactive")] Inactive,
    [JsonStringEnumMemberName("resolved")] Resolved,
    [JsonStringEnumMemberName("entered-in-error")] EnteredInError,
}

/// <summary>Whether anyone has asked: unknown (never asked), no-known-allergies, or recorded (some allergy, of any status).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AllergiesAsked>))]
public enum AllergiesAsked
{
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("no-known-allergies")] NoKnownAllergies,
    [JsonStringEnumMemberName("recorded")] Recorded,
}

public sealed partial class Patient
{
    public AllergiesAsked AllergiesAsked { get; set; }
    public List<AllergyIntolerance> Allergies { get; set; } = [];

    public void Apply(AllergyIntoleranceRecorded e)
    {
        Allergies.Add(e.Allergy);
        AllergiesAsked = AllergiesAsked.Recorded;
    }

    public void Apply(AllergyIntoleranceStatusChanged e) =>
        Allergies = Allergies.Select(a => a.Id == e.AllergyId ? a with { Status = e.Status, StatusReason = e.Reason } : a).ToList();

    public void Apply(NoKnownAllergiesRecorded _) => AllergiesAsked = AllergiesAsked.NoKnownAllergies;
}

/// <summary>The patient's allergy list and whether it was ever taken.</summary>
public record AllergyList(Guid PatientId, AllergiesAsked Asked, IReadOnlyList<AllergyIntolerance> Allergies, long Version) : IVersioned
{
    public static AllergyList Of(Patient p, long version) => new(p.Id, p.AllergiesAsked, p.Allergies, version);
}

/// <summary>
/// One allergy, a status change of one (allergyId + status + reason), or <c>noKnownAllergies: true</c>.
/// </summary>
public record RecordAllergy(bool? NoKnownAllergies, Substance? Substance, string? Reaction, AllergySeverity? Severity,
    AllergyCriticality? Criticality, Guid? AllergyId, AllergyStatus? Status, string? Reason);

public static class RecordAllergyEndpoint
{
    public static ProblemDetails Validate(RecordAllergy command, [WriteAggregate] Patient patient, CurrentScope scope) =>
        Check(command, patient);

    private static ProblemDetails Check(RecordAllergy c, Patient patient)
    {
        var errors = new Dictionary<string, string[]>();
        if (c.NoKnownAllergies == true)
        {
            if (c.Substance is not null || c.AllergyId is not null) errors["noKnownAllergies"] = ["Alone: not with a substance or an allergy id."];
            else if (patient.Allergies.Any(a => a.Status == AllergyStatus.Active))
                return Problems.Conflict("allergy.active_allergies", "The patient has active allergies; resolve or correct them first.");
            return Problems.Validation(errors);
        }
        if (c.AllergyId is { } id)
        {
            if (patient.Allergies.All(a => a.Id != id)) errors["allergyId"] = ["No such allergy on this patient."];
            if (c.Status is null) errors["status"] = ["Required with allergyId."];
            Requests.Limits.Text(errors, "reason", c.Reason, Requests.Limits.Reason, required: true);
            return Problems.Validation(errors);
        }
        if (c.Substance is null) errors["substance"] = ["Required: { code?, text }, or noKnownAllergies: true."];
        else
        {
            Requests.Limits.Text(errors, "substance.text", c.Substance.Text, Requests.Limits.Name, required: true);
            Requests.Limits.Text(errors, "substance.code", c.Substance.Code, Requests.Limits.Code);
        }
        Requests.Limits.Text(errors, "reaction", c.Reaction, Requests.Limits.Name);
        if (c.Status is not (null or AllergyStatus.Active)) errors["status"] = ["A new allergy is active; change it afterwards with allergyId."];
        return Problems.Validation(errors);
    }

    /// <summary>Records an allergy (FHIR AllergyIntolerance), changes one's status, or records "no known allergies".</summary>
    [WolverinePost("/api/patients/{id}/allergies", Name = "RecordAllergy"), Authorize(Actions.RecordAllergy)]
    public static (AllergyList, Events) Post(RecordAllergy c, [WriteAggregate] Patient patient, CurrentScope scope, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        object e = c.NoKnownAllergies == true ? new NoKnownAllergiesRecorded(patient.Id, scope.UserId, scope.UserName, now)
            : c.AllergyId is { } id ? new AllergyIntoleranceStatusChanged(patient.Id, id, c.Status!.Value, c.Reason!.Trim(), now)
            : new AllergyIntoleranceRecorded(patient.Id, new AllergyIntolerance(Guid.CreateVersion7(),
                new Substance(c.Substance!.Code?.Trim() is { Length: > 0 } code ? code : null, c.Substance.Text.Trim()), c.Reaction?.Trim(),
                c.Severity, c.Criticality ?? AllergyCriticality.UnableToAssess, AllergyStatus.Active, scope.UserId, scope.UserName, now));
        // The answer is built from a copy: the fetched aggregate stays as loaded.
        var after = new Patient { Id = patient.Id, AllergiesAsked = patient.AllergiesAsked, Allergies = [.. patient.Allergies] };
        switch (e)
        {
            case NoKnownAllergiesRecorded n: after.Apply(n); break;
            case AllergyIntoleranceStatusChanged s: after.Apply(s); break;
            case AllergyIntoleranceRecorded r: after.Apply(r); break;
        }
        return (AllergyList.Of(after, patient.Version + 1), [e]);
    }
}

public static class GetAllergiesEndpoint
{
    public static Task<Patient?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<Patient>(id, ct);

    /// <summary>The allergy list (every status), and whether allergies were ever asked.</summary>
    [ReadsChart("patient.allergies")]
    [WolverineGet("/api/patients/{id}/allergies", Name = "GetAllergies"), Authorize(Actions.ReadAllergies)]
    public static AllergyList? Get(Guid id, [NotBody] Patient? patient) => patient is null ? null : AllergyList.Of(patient, patient.Version);
}
