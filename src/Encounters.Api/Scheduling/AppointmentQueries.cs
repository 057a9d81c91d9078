using Encounters.Audit;
using Encounters.Patients;

namespace Encounters.Scheduling;

/// <summary>A row of the front desk's day list: the appointment and whom it is for (no clinical content).</summary>
public record AppointmentRow(Guid Id, Guid PatientId, string PatientName, string Mrn, string ClinicianId, DateTimeOffset Start, DateTimeOffset End,
    int DurationMinutes, string Reason, AppointmentStatus Status, Guid? EncounterId, long Version);

public static class AppointmentQueries
{
    public static ProblemDetails Validate(DateOnly? date, int? page, int? pageSize, string? after, TimeProvider clock) =>
        Problems.Validation(AppointmentDates.Errors(date, clock.GetUtcNow(), Paging.Errors(page, pageSize, after)));

    /// <summary>The day list (default today) of this facility, optionally of one clinician, in time order.</summary>
    [ReadsChart("appointments", Purpose = "operations")]
    [WolverineGet("/api/appointments", Name = "ListAppointments"), Authorize(Actions.ReadAppointment)]
    public static async Task<Page<AppointmentRow>> Day(DateOnly? date, string? clinicianId, int? page, int? pageSize, string? after, bool? count,
        IQuerySession session,
        CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        var day = date ?? Appointment.DayOf(clock.GetUtcNow());
        var query = session.Query<Appointment>().Where(a => a.FacilityId == scope.FacilityId && a.Day == day);
        if (!string.IsNullOrEmpty(clinicianId)) query = query.Where(a => a.ClinicianId == clinicianId);
        return await Rows(query.OrderBy(a => a.Start), page, pageSize, after, count, session, ct);
    }

    /// <summary>A patient's upcoming appointments here (proposed or booked, from now on).</summary>
    [ReadsChart("patient.appointments", Purpose = "operations")]
    [WolverineGet("/api/patients/{id}/appointments", Name = "ListPatientAppointments"), Authorize(Actions.ReadAppointment)]
    public static async Task<Page<AppointmentRow>> Upcoming(Guid id, int? page, int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var query = session.Query<Appointment>().Where(a => a.FacilityId == scope.FacilityId && a.PatientId == id && a.Start >= now &&
            (a.Status == AppointmentStatus.Booked || a.Status == AppointmentStatus.Proposed));
        return await Rows(query.OrderBy(a => a.Start), page, pageSize, after, count, session, ct);
    }

    private static async Task<Page<AppointmentRow>> Rows(IQueryable<Appointment> query, int? page, int? pageSize, string? after, bool? count, IQuerySession session,
        CancellationToken ct)
    {
        var found = await query.PageAsync(page, pageSize, ct, after, count);
        var patients = (await session.LoadManyAsync<Patient>(ct, found.Items.Select(a => a.PatientId).Distinct())).ToDictionary(p => p.Id);
        return found.Select(a => new AppointmentRow(a.Id, a.PatientId, patients.GetValueOrDefault(a.PatientId)?.FullName ?? "",
            patients.GetValueOrDefault(a.PatientId)?.Mrn ?? "", a.ClinicianId, a.Start, a.End, a.DurationMinutes, a.Reason, a.Status, a.EncounterId,
            a.Version));
    }
}

public static class GetAppointmentEndpoint
{
    /// <summary>One appointment with its history of times.</summary>
    [ReadsChart("appointment", Purpose = "operations")]
    [WolverineGet("/api/appointments/{id}", Name = "GetAppointment"), Authorize(Actions.ReadAppointment)]
    public static Task<Appointment?> Get(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<Appointment>(id, ct);
}
