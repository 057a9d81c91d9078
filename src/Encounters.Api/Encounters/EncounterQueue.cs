using Encounters.Audit;
using JasperFx.Events;
using JasperFx.Events.Projections;

namespace Encounters.Encounters;

/// <summary>
/// One row of the facility's OPD queue, kept inline with the encounter's events so the front desk and
/// clinicians always see the current state.
/// </summary>
public sealed partial class EncounterSummary : Scope.IPatientChart
{
    public static string Resource => "Encounter";

    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public Guid PatientId { get; set; }
    public EncounterStatus Status { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset? ScheduledAt { get; set; }
    public DateTimeOffset PlannedAt { get; set; }
    public DateTimeOffset? ArrivedAt { get; set; }
    public string? ClinicianId { get; set; }
    public string? ClinicianName { get; set; }
    public Disposition? Disposition { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The day the visit belongs to (UTC): the day of arrival, else of the appointment, else of planning.</summary>
    public DateOnly Day { get; set; }

    public static EncounterSummary Create(EncounterPlanned e) => new()
    {
        Id = e.EncounterId, FacilityId = e.FacilityId, PatientId = e.PatientId, Status = EncounterStatus.Planned,
        Reason = e.Reason, ScheduledAt = e.ScheduledAt, PlannedAt = e.PlannedAt,
        Day = DateOnly.FromDateTime((e.ScheduledAt ?? e.PlannedAt).UtcDateTime),
    };

    public void Apply(PatientCheckedIn e)
    {
        Status = EncounterTransitions.After(Status, e);
        ArrivedAt = e.ArrivedAt;
        Day = DateOnly.FromDateTime(e.ArrivedAt.UtcDateTime);
    }

    public void Apply(VitalSignsRecorded e)
    {
        Status = EncounterTransitions.After(Status, e);
    }

    public void Apply(ConsultStarted e)
    {
        Status = EncounterTransitions.After(Status, e);
        ClinicianId = e.ClinicianId;
        ClinicianName = e.ClinicianName;
    }

    public void Apply(PatientSteppedOut e) => Status = EncounterTransitions.After(Status, e);
    public void Apply(PatientReturned e) => Status = EncounterTransitions.After(Status, e);

    public void Apply(EncounterClosed e)
    {
        Status = EncounterTransitions.After(Status, e);
        Disposition = e.Disposition;
        ClosedAt = e.ClosedAt;
    }

    public void Apply(EncounterCancelled e) => Status = EncounterTransitions.After(Status, e);
    public void Apply(PatientDidNotAttend e) => Status = EncounterTransitions.After(Status, e);
    public void Apply(EncounterMarkedEnteredInError e) => Status = EncounterTransitions.After(Status, e);

    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<EncounterSummary>(SnapshotLifecycle.Inline);
        opts.Schema.For<EncounterSummary>()
            .Index(x => x.FacilityId)
            .Index(x => x.Day)
            .Index(x => x.PatientId);
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
        var query = session.Query<EncounterSummary>().Where(e => e.FacilityId == scope.FacilityId);
        if (status is not null && TryParseStatus(status, out var wanted)) query = query.Where(e => e.Status == wanted);
        if (date is not null)
        {
            var day = DateOnly.ParseExact(date, "yyyy-MM-dd");
            query = query.Where(e => e.Day == day);
        }
        if (patientId is { } patient) query = query.Where(e => e.PatientId == patient);
        if (!string.IsNullOrWhiteSpace(clinicianId)) query = query.Where(e => e.ClinicianId == clinicianId);
        return ToPage(query.OrderBy(e => e.ArrivedAt).ThenBy(e => e.PlannedAt), page, pageSize, after, count, ct);
    }

    /// <summary>A patient's visits in this facility, most recent first.</summary>
    [ReadsChart("patient.encounters")]
    [WolverineGet("/api/patients/{id}/encounters", Name = "ListPatientEncounters"), Authorize(Actions.ReadEncounter)]
    public static Task<Page<EncounterSummary>> PatientHistory(Guid id, int? page, int? pageSize, string? after, bool? count, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        ToPage(session.Query<EncounterSummary>()
            .Where(e => e.FacilityId == scope.FacilityId && e.PatientId == id)
            .OrderByDescending(e => e.PlannedAt), page, pageSize, after, count, ct);

    private static Task<Page<EncounterSummary>> ToPage(IQueryable<EncounterSummary> query, int? page, int? pageSize, string? after, bool? count,
        CancellationToken ct) => query.PageAsync(page, pageSize, ct, after, count);

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
