using Encounters.Audit;

namespace Encounters.Lab;

public static class ListLabReportsEndpoint
{
    public static readonly string[] Statuses = ["preliminary", "final", "corrected"];

    public static ProblemDetails Validate(DateTimeOffset? from, DateTimeOffset? to, string? testCode, string? status, int? page, int? pageSize,
        string? after)
    {
        var errors = Paging.Errors(page, pageSize, after);
        foreach (var (field, messages) in Requests.ClinicalDates.Window(from, to, required: false)) errors[field] = messages;
        Requests.Limits.Text(errors, "testCode", testCode, Requests.Limits.Code);
        if (status is not null && !Statuses.Contains(status)) errors["status"] = [$"One of {string.Join(", ", Statuses)}."];
        return Problems.Validation(errors);
    }

    /// <summary>
    /// The facility's lab reports, newest result first, filtered by patient, by when the result was first entered
    /// ([from, to)), by test code and by status (preliminary, final, corrected).
    /// </summary>
    [ReadsChart("lab.reports")]
    [WolverineGet("/api/lab/reports", Name = "ListLabReports"), Authorize(Actions.ReadResult)]
    public static async Task<Page<LabReport>> Get(Guid? patientId, DateTimeOffset? from, DateTimeOffset? to, string? testCode, string? status,
        int? page, int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var query = session.Query<LabReport>().Where(r => r.FacilityId == scope.FacilityId);
        if (patientId is { } patient) query = query.Where(r => r.PatientId == patient);
        if (from is { } start) query = query.Where(r => r.ResultedAt >= start);
        if (to is { } end) query = query.Where(r => r.ResultedAt < end);
        if (!string.IsNullOrEmpty(testCode)) query = query.Where(r => r.TestCode == testCode);
        if (status is not null) query = query.Where(r => r.Status == status);
        return await query.OrderByDescending(r => r.ResultedAt).PageAsync(page, pageSize, ct, after, count);
    }
}
