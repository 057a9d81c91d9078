using Encounters.Audit;
using Encounters.Requests;

namespace Encounters.Scheduling;

/// <summary>Working hours on one weekday (UTC, like every scheduling time here), start before end.</summary>
public record WorkingHours(DayOfWeek Day, TimeOnly Start, TimeOnly End);

/// <summary>A clinician's working week at one facility and the length of a bookable slot (FHIR Schedule).</summary>
public sealed class ClinicianSchedule
{
    public string Id { get; set; } = "";
    public string FacilityId { get; set; } = "";
    public string ClinicianId { get; set; } = "";
    public string? ClinicianName { get; set; }
    public int SlotMinutes { get; set; }
    public WorkingHours[] Hours { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    public static string IdFor(string facility, string clinician) => $"{facility}|{clinician}";

    /// <summary>The interval lies inside one block of working hours on its day.</summary>
    public bool Covers(DateTimeOffset start, DateTimeOffset end)
    {
        var day = start.UtcDateTime.Date;
        return Hours.Any(h => h.Day == day.DayOfWeek && day + h.Start.ToTimeSpan() <= start.UtcDateTime && end.UtcDateTime <= day + End(h));
    }

    public IEnumerable<WorkingHours> On(DateOnly date) => Hours.Where(h => h.Day == date.DayOfWeek).OrderBy(h => h.Start);

    /// <summary>Midnight as the end of a block means the end of the day.</summary>
    public static TimeSpan End(WorkingHours h) => h.End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : h.End.ToTimeSpan();
}

public record SetSchedule(string? ClinicianId, string? ClinicianName, int? SlotMinutes, WorkingHours[]? Hours);

public static class SetScheduleEndpoint
{
    public static ProblemDetails Validate(SetSchedule command)
    {
        var errors = new Dictionary<string, string[]>();
        Limits.Text(errors, "clinicianId", command.ClinicianId, Limits.Code, required: true);
        Limits.Text(errors, "clinicianName", command.ClinicianName, Limits.Name);
        if (command.SlotMinutes is not (>= Slots.MinMinutes and <= Slots.MaxMinutes))
            errors["slotMinutes"] = [$"Between {Slots.MinMinutes} and {Slots.MaxMinutes} minutes."];
        Limits.Items(errors, "hours", command.Hours);
        if (command.Hours is null) errors["hours"] = ["Required (may be empty: no working hours)."];
        else if (!errors.ContainsKey("hours"))
            for (var i = 0; i < command.Hours.Length; i++)
                if (command.Hours[i] is not { } h || !Enum.IsDefined(h.Day) || ClinicianSchedule.End(h) <= h.Start.ToTimeSpan())
                    errors[$"hours[{i}]"] = ["A weekday and a start before its end."];
                else if (command.Hours.Take(i).Any(o => o is not null && o.Day == h.Day &&
                             o.Start.ToTimeSpan() < ClinicianSchedule.End(h) && h.Start.ToTimeSpan() < ClinicianSchedule.End(o)))
                    errors[$"hours[{i}]"] = ["Overlaps another block of the same day."];
        return Problems.Validation(errors);
    }

    /// <summary>Sets a clinician's working hours per weekday and slot length at this facility (replacing the previous ones).</summary>
    [WolverinePost("/api/schedules", Name = "SetSchedule"), Authorize(Actions.ManageSchedule)]
    public static (ClinicianSchedule, IMartenOp) Post(SetSchedule command, CurrentScope scope, TimeProvider clock)
    {
        var schedule = new ClinicianSchedule
        {
            Id = ClinicianSchedule.IdFor(scope.FacilityId, command.ClinicianId!.Trim()), FacilityId = scope.FacilityId,
            ClinicianId = command.ClinicianId.Trim(), ClinicianName = command.ClinicianName?.Trim(), SlotMinutes = command.SlotMinutes!.Value,
            Hours = command.Hours!, UpdatedAt = clock.GetUtcNow(),
        };
        return (schedule, MartenOps.Store(schedule));
    }
}

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
