
namespace Encounters.Scheduling;

/// <summary>A booked appointment holds its interval of the clinician's day.</summary>
public record SlotHeld(Guid DayId, string FacilityId, string ClinicianId, DateOnly Date, Guid AppointmentId, DateTimeOffset Start,
    DateTimeOffset End);

/// <summary>The interval is free again (cancelled, moved, no-show).</summary>
public record SlotFreed(Guid DayId, Guid AppointmentId);

public record Interval(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => start < End && Start < end;
}

/// <summary>
/// One stream per clinician and day whose state is the intervals booked on it. Every booking appends to it with the
/// version it read, so of two overlapping bookings racing on any node the database lets one commit; the other is
/// decided again (LostRaceRetry) and refused by the overlap rule.
/// </summary>
public sealed partial record ClinicianDay(Guid Id, string FacilityId, string ClinicianId, DateOnly Date)
{
    public long Version { get; set; }
    public IReadOnlyDictionary<Guid, Interval> Booked { get; init; } = new Dictionary<Guid, Interval>();

    public static ClinicianDay Create(SlotHeld e) =>
        new(e.DayId, e.FacilityId, e.ClinicianId, e.Date) { Booked = new Dictionary<Guid, Interval> { [e.AppointmentId] = new(e.Start, e.End) } };

    public ClinicianDay Apply(SlotHeld e) =>
        this with { Booked = new Dictionary<Guid, Interval>(Booked) { [e.AppointmentId] = new(e.Start, e.End) } };

    public ClinicianDay Apply(SlotFreed e) =>
        this with { Booked = Booked.Where(b => b.Key != e.AppointmentId).ToDictionary() };

    /// <summary>The day stream's id: the same for every node and request, per tenant, facility, clinician and date.</summary>
    public static Guid IdFor(string tenant, string facility, string clinician, DateOnly date) =>
        DerivedIds.Of($"clinician-day|{tenant}|{facility}|{clinician}|{date:yyyy-MM-dd}");
}

/// <summary>The rules every booking and move share: duration, not in the past, inside the clinician's hours, no overlap.</summary>
public static class Slots
{
    public const int MinMinutes = 15, MaxMinutes = 480;

    /// <summary>400s: the start is required and not in the past (a minute's grace), the duration 15–480 minutes.</summary>
    public static Dictionary<string, string[]> Errors(DateTimeOffset? start, int? duration, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (start is not { } at) errors["start"] = ["Required."];
        else if (at < now.AddMinutes(-1)) errors["start"] = ["Not in the past."];
        else if (!Requests.ClinicalDates.InRange(at, now)) errors["start"] = ["At most a year ahead."];
        if (duration is not (>= MinMinutes and <= MaxMinutes)) errors["durationMinutes"] = [$"Between {MinMinutes} and {MaxMinutes} minutes."];
        return errors;
    }

    /// <summary>409s: outside the clinician's working hours, or overlapping another booked appointment of theirs.</summary>
    public static ProblemDetails Free(ClinicianSchedule? schedule, ClinicianDay? day, DateTimeOffset start, int duration, Guid? except = null)
    {
        var end = start.AddMinutes(duration);
        if (schedule is null || !schedule.Covers(start, end))
            return Problems.Conflict("appointment.outside_hours", "The time is outside the clinician's working hours.");
        var taken = day?.Booked.Where(b => b.Key != except && b.Value.Overlaps(start, end)).Select(b => b.Value).FirstOrDefault();
        return taken is null
            ? WolverineContinue.NoProblems
            : Problems.Conflict("appointment.slot_taken", "The clinician already has an appointment at that time.",
                new { takenFrom = taken.Start, takenTo = taken.End });
    }

    /// <summary>The clinician's day stream, opened for writing with the version it was read at.</summary>
    public static Task<JasperFx.Events.IEventStream<ClinicianDay>> DayAsync(IDocumentSession session, string facility, string clinician,
        DateTimeOffset start, CancellationToken ct) =>
        session.Events.FetchForWriting<ClinicianDay>(ClinicianDay.IdFor(session.TenantId, facility, clinician, Appointment.DayOf(start)), ct);

    /// <summary>Holds the interval on the day stream (creating it with the first booking of the day).</summary>
    public static void Hold(JasperFx.Events.IEventStream<ClinicianDay> day, string facility, string clinician, Guid appointment,
        DateTimeOffset start, int duration) =>
        day.AppendOne(new SlotHeld(day.Id, facility, clinician, Appointment.DayOf(start), appointment, start, start.AddMinutes(duration)));

    /// <summary>Frees the appointment's interval, if its day stream holds it.</summary>
    public static async Task FreeAsync(IDocumentSession session, Appointment appointment, CancellationToken ct)
    {
        if (!appointment.Holds) return;
        var day = await DayAsync(session, appointment.FacilityId, appointment.ClinicianId, appointment.Start, ct);
        if (day.Aggregate?.Booked.ContainsKey(appointment.Id) == true) day.AppendOne(new SlotFreed(day.Id, appointment.Id));
    }
}
