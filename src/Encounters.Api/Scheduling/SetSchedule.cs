using Encounters.Requests;

namespace Encounters.Scheduling;

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
