using System.Linq.Expressions;
using Encounters.Audit;
using Marten.Linq;

namespace Encounters.Encounters;

/// <summary>
/// One row of the facility's OPD queue: a slice of the encounter view, selected in the database (the view is the one
/// inline read model of the encounter, so the queue is always current).
/// </summary>
public sealed record EncounterSummary : Scope.IPatientChart
{
    public static string Resource => "Encounter";

    public Guid Id { get; init; }
    public string FacilityId { get; init; } = "";
    public Guid PatientId { get; init; }
    public EncounterStatus Status { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset? ScheduledAt { get; init; }
    public DateTimeOffset PlannedAt { get; init; }
    public DateTimeOffset? ArrivedAt { get; init; }
    public string? ClinicianId { get; init; }
    public string? ClinicianName { get; init; }
    public Disposition? Disposition { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The day the visit belongs to (UTC): the day of arrival, else of the appointment, else of planning.</summary>
    public DateOnly Day { get; init; }

    /// <summary>The one mapping from view to row, selected in the database.</summary>
    private static readonly Expression<Func<EncounterView, EncounterSummary>> Row = v => new EncounterSummary
    {
        Id = v.Id, FacilityId = v.FacilityId, PatientId = v.PatientId, Status = v.Status, Reason = v.Reason,
        ScheduledAt = v.ScheduledAt, PlannedAt = v.PlannedAt, ArrivedAt = v.ArrivedAt,
        ClinicianId = v.AttendingClinician!.UserId, ClinicianName = v.AttendingClinician!.Name,
        Disposition = v.Disposition, ClosedAt = v.ClosedAt, Day = v.Day,
    };

    /// <summary>The rows of a query over the view.</summary>
    public static IQueryable<EncounterSummary> Of(IQueryable<EncounterView> views) => views.Select(Row);

    /// <summary>One visit's row, or null: what a read needs to know whose chart the visit is (a compiled query: it runs on every timeline read).</summary>
    public static Task<EncounterSummary?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) =>
        session.QueryAsync(new ById { Id = id }, ct);

    public sealed class ById : ICompiledQuery<EncounterView, EncounterSummary?>
    {
        public Guid Id { get; set; }

        // views => views.Where(v => v.Id == Id).Select(Row).SingleOrDefault(), with Row inlined: the planner reads lambdas, not fields.
        public Expression<Func<IMartenQueryable<EncounterView>, EncounterSummary?>> QueryIs()
        {
            Expression<Func<IMartenQueryable<EncounterView>, IQueryable<EncounterView>>> one = views => views.Where(v => v.Id == Id);
            var selected = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(EncounterView), typeof(EncounterSummary)],
                one.Body, Expression.Quote(Row));
            return Expression.Lambda<Func<IMartenQueryable<EncounterView>, EncounterSummary?>>(
                Expression.Call(typeof(Queryable), nameof(Queryable.SingleOrDefault), [typeof(EncounterSummary)], selected), one.Parameters);
        }
    }
}

public static class EncounterQueueEndpoints
{
    public static ProblemDetails Validate(string? status, string? date, int? page, int? pageSize, string? after)
    {
        var errors = Paging.Errors(page, pageSize, after);
        if (status is not null && !TryParseStatus(status, out _))
            errors["status"] = ["A FHIR encounter status: planned, arrived, triaged, in-progress, onleave, finished, cancelled, entered-in-error."];
        if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", out _))
            errors["date"] = ["A date as yyyy-MM-dd."];
        return Problems.Validation(errors);
    }

    // Validate applies to every endpoint of this class: both take the paging parameters.

    /// <summary>The facility's OPD queue: encounters filtered by status, day, patient or clinician, in check-in order.</summary>
    [ReadsChart("encounter.list")]
    [WolverineGet("/api/encounters", Name = "ListEncounters"), Authorize(Actions.ReadEncounter)]
    public static Task<Page<EncounterSummary>> List(string? status, string? date, Guid? patientId, string? clinicianId,
        int? page, int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var query = session.Query<EncounterView>().Where(e => e.FacilityId == scope.FacilityId);
        if (status is not null && TryParseStatus(status, out var wanted)) query = query.Where(e => e.Status == wanted);
        if (date is not null)
        {
            var day = DateOnly.ParseExact(date, "yyyy-MM-dd");
            query = query.Where(e => e.Day == day);
        }
        if (patientId is { } patient) query = query.Where(e => e.PatientId == patient);
        if (!string.IsNullOrWhiteSpace(clinicianId)) query = query.Where(e => e.AttendingClinician!.UserId == clinicianId);
        return ToPage(query.OrderBy(e => e.ArrivedAt).ThenBy(e => e.PlannedAt), page, pageSize, after, count, ct);
    }

    /// <summary>A patient's visits in this facility, most recent first.</summary>
    [ReadsChart("patient.encounters")]
    [WolverineGet("/api/patients/{id}/encounters", Name = "ListPatientEncounters"), Authorize(Actions.ReadEncounter)]
    public static Task<Page<EncounterSummary>> PatientHistory(Guid id, int? page, int? pageSize, string? after, bool? count, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        ToPage(session.Query<EncounterView>()
            .Where(e => e.FacilityId == scope.FacilityId && e.PatientId == id)
            .OrderByDescending(e => e.PlannedAt), page, pageSize, after, count, ct);

    private static Task<Page<EncounterSummary>> ToPage(IQueryable<EncounterView> query, int? page, int? pageSize, string? after, bool? count,
        CancellationToken ct) => query.PageAsync(EncounterSummary.Of, page, pageSize, ct, after, count);

    private static bool TryParseStatus(string value, out EncounterStatus status)
    {
        foreach (var candidate in Enum.GetValues<EncounterStatus>())
            if (EncounterTransitions.Name(candidate) == value)
            {
                status = candidate;
                return true;
            }
        status = default;
        return false;
    }
}
