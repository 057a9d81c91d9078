using Encounters.Audit;
using Encounters.Requests;

namespace Encounters.Scheduling;

public static class AppointmentDates
{
    /// <summary>A day filter's error, added to <paramref name="errors"/>: between 1900 and a year ahead.</summary>
    public static Dictionary<string, string[]> Errors(DateOnly? date, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        if (date is { } d && !ClinicalDates.InRange(d, now)) errors["date"] = ["Between 1900-01-01 and a year from now."];
        return errors;
    }
}

/// <summary>A bookable slot of a clinician's day.</summary>
public record FreeSlot(DateTimeOffset Start, DateTimeOffset End);

public static class GetSlotsEndpoint
{
    public static ProblemDetails Validate(DateOnly? date, int? page, int? pageSize, TimeProvider clock) =>
        Problems.Validation(AppointmentDates.Errors(date, clock.GetUtcNow(), Paging.Errors(page, pageSize)));

    /// <summary>The clinician's free slots on a day (default today): working hours cut into slots, minus booked and past times.</summary>
    [NoPatientData]
    [WolverineGet("/api/schedules/{clinicianId}/slots", Name = "GetFreeSlots"), Authorize(Actions.ReadSchedule)]
    public static async Task<Page<FreeSlot>> Get(string clinicianId, DateOnly? date, int? page, int? pageSize, IQuerySession session, CurrentScope scope,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var day = date ?? Appointment.DayOf(now);
        var schedule = await session.LoadAsync<ClinicianSchedule>(ClinicianSchedule.IdFor(scope.FacilityId, clinicianId), ct);
        if (schedule is null) return Paging.Of<FreeSlot>([], page, pageSize);
        var booked = await session.LoadAsync<ClinicianDay>(ClinicianDay.IdFor(session.TenantId, scope.FacilityId, clinicianId, day), ct);
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var slots = new List<FreeSlot>();
        foreach (var block in schedule.On(day))
            for (var start = midnight + block.Start.ToTimeSpan(); start.AddMinutes(schedule.SlotMinutes) <= midnight + ClinicianSchedule.End(block);
                 start = start.AddMinutes(schedule.SlotMinutes))
            {
                var end = start.AddMinutes(schedule.SlotMinutes);
                if (start >= now && booked?.Booked.Values.Any(b => b.Overlaps(start, end)) != true) slots.Add(new FreeSlot(start, end));
            }
        return Paging.Of(slots, page, pageSize);
    }
}
