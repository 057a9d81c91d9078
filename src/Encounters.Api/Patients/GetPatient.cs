using Encounters.Audit;

namespace Encounters.Patients;

public static class GetPatientEndpoint
{
    /// <summary>A patient of this facility; any other id is 404.</summary>
    [ReadsChart("patient")]
    [WolverineGet("/api/patients/{id}", Name = "GetPatient"), Authorize(Actions.ReadPatient)]
    public static async Task<PatientResponse?> Get(Guid id, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var patient = await session.LoadAsync<Patient>(id, ct);
        return patient is null || patient.FacilityId != scope.FacilityId ? null : PatientResponse.From(patient);
    }
}
