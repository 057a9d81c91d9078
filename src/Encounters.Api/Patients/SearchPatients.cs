using Encounters.Audit;

namespace Encounters.Patients;

public static class SearchPatientsEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? after) => Problems.Validation(Paging.Errors(page, pageSize, after));

    /// <summary>Patients of this facility whose name contains <c>q</c>, or whose MRN, national id or phone (digits, any spacing) is <c>q</c>.</summary>
    [ReadsChart("patient.search")]
    [WolverineGet("/api/patients", Name = "SearchPatients"), Authorize(Actions.ReadPatient)]
    public static async Task<Page<PatientResponse>> Get(string? q, int? page, int? pageSize, string? after, bool? count, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var query = session.Query<Patient>().Where(p => p.FacilityId == scope.FacilityId);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim();
            var digits = Patient.Digits(term) is { Length: >= 5 } d ? d : "-";
            query = query.Where(p => p.Mrn == term || p.NationalId == term || p.PhoneDigits == digits
                                     || p.FullName.Contains(term, StringComparison.OrdinalIgnoreCase));
        }

        var results = await query.OrderBy(p => p.FullName).PageAsync(page, pageSize, ct, after, count);
        return results.Select(p => PatientResponse.From(p));
    }
}

