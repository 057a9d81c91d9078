using Encounters.Audit;

namespace Encounters.Patients;

public static class GetPatientEndpoint
{
    public static Task<Patient?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<Patient>(id, ct);

    public static ProblemDetails Validate(long? version, DateTimeOffset? asOf) =>
        Problems.Validation(version is < 1 ? new() { ["version"] = ["At least 1."] }
            : version is not null && asOf is not null ? new() { ["asOf"] = ["Either version or asOf."] } : []);

    /// <summary>
    /// A patient of this facility, or one under the caller's break-glass grant (any other id is 404); <c>?version=</c> or
    /// <c>?asOf=</c> shows the demographics as they stood then.
    /// </summary>
    [ReadsChart("patient")]
    [WolverineGet("/api/patients/{id}", Name = "GetPatient"), Authorize(Actions.ReadPatient)]
    public static async Task<PatientResponse?> Get(Guid id, [NotBody] Patient? patient, long? version, DateTimeOffset? asOf,
        IQuerySession session, CancellationToken ct)
    {
        if (patient is null) return null;
        if (version is null && asOf is null) return PatientResponse.From(patient);

        var past = await session.Events.AggregateStreamAsync<Patient>(id, version ?? 0, asOf, token: ct);
        return past is null ? null : PatientResponse.From(past);
    }
}
