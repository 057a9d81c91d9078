using Encounters.Audit;

namespace Encounters.Patients;

public static class GetPatientEndpoint
{
    /// <summary>A patient of this facility (or one under the caller's break-glass grant); any other id is 404.</summary>
    [ReadsChart("patient")]
    [WolverineGet("/api/patients/{id}", Name = "GetPatient"), Authorize(Actions.ReadPatient)]
    public static async Task<PatientResponse?> Get(Guid id, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var patient = await session.LoadAsync<Patient>(id, ct);
        return patient is not null && await scope.SeesAsync(session, patient.FacilityId, patient.Id, ct) ? PatientResponse.From(patient) : null;
    }
}
