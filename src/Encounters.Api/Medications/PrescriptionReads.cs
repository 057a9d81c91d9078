using Encounters.Audit;

namespace Encounters.Medications;

public static class GetPrescriptionEndpoint
{
    public static ProblemDetails Validate(long? version) => Problems.Validation(version is < 1 ? new() { ["version"] = ["At least 1."] } : []);

    /// <summary>One prescription: its line, overrides, status and dispenses; <c>?version=</c> as it stood then (amendments included).</summary>
    [ReadsChart("prescription")]
    [WolverineGet("/api/prescriptions/{id}", Name = "GetPrescription"), Authorize(Actions.ReadMedications)]
    public static async Task<Prescription?> Get(Guid id, long? version, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        // Another facility's prescription is not found: the facility guard checks what this answers.
        if (await session.LoadAsync<Prescription>(id, ct) is not { } p) return null;
        return version is null ? p : await session.Events.AggregateStreamAsync<Prescription>(id, version.Value, token: ct);
    }
}

public static class ListEncounterPrescriptionsEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? after) => Problems.Validation(Paging.Errors(page, pageSize, after));

    /// <summary>The visit's prescriptions, in the order written (every status).</summary>
    [ReadsChart("encounter.prescriptions")]
    [WolverineGet("/api/encounters/{id}/prescriptions", Name = "ListEncounterPrescriptions"), Authorize(Actions.ReadMedications)]
    public static Task<Page<Prescription>> Get(Guid id, int? page, int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Paged(session.Query<Prescription>().Where(p => p.EncounterId == id && p.FacilityId == scope.FacilityId), page, pageSize, after, count, ct);

    public static Task<Page<Prescription>> Paged(IQueryable<Prescription> query, int? page, int? pageSize, string? after, bool? count,
        CancellationToken ct) =>
        query.OrderBy(p => p.PrescribedAt).ThenBy(p => p.Id).PageAsync(page, pageSize, ct, after, count);
}

public static class ListCurrentMedicationsEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? after) => Problems.Validation(Paging.Errors(page, pageSize, after));

    /// <summary>The patient's current medications: active prescriptions still within their validity.</summary>
    [ReadsChart("patient.medications")]
    [WolverineGet("/api/patients/{id}/medications", Name = "ListCurrentMedications"), Authorize(Actions.ReadMedications)]
    public static Task<Page<Prescription>> Get(Guid id, int? page, int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return ListEncounterPrescriptionsEndpoint.Paged(session.Query<Prescription>().Where(p => p.PatientId == id && p.FacilityId == scope.FacilityId
            && p.Status == PrescriptionStatus.Active && p.ValidUntil > now), page, pageSize, after, count, ct);
    }
}

public static class PharmacyWorklistEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? after) => Problems.Validation(Paging.Errors(page, pageSize, after));

    /// <summary>What waits at the pharmacy: active, unexpired prescriptions with something left to dispense, oldest first.</summary>
    [ReadsChart("pharmacy.worklist")]
    [WolverineGet("/api/pharmacy/worklist", Name = "GetPharmacyWorklist"), Authorize(Actions.ReadPharmacyWorklist)]
    public static Task<Page<Prescription>> Get(int? page, int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return ListEncounterPrescriptionsEndpoint.Paged(session.Query<Prescription>()
            .Where(p => p.FacilityId == scope.FacilityId && p.AwaitingDispense && p.ValidUntil > now), page, pageSize, after, count, ct);
    }
}
