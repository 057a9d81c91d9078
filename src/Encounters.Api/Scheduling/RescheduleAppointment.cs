using JasperFx.Events;

namespace Encounters.Scheduling;

/// <summary>A new time (and optionally a new length) for a proposed or booked appointment.</summary>
public record RescheduleAppointment(DateTimeOffset? Start, int? DurationMinutes, string? Reason);

/// <summary>
/// What a move reads: the appointment, the clinician's schedule and the day streams it leaves and enters (one stream
/// when it stays on its day). A proposed appointment holds no time, so it has no days to touch.
/// </summary>
public record Move(IEventStream<Appointment> Stream, ClinicianSchedule? Schedule, IEventStream<ClinicianDay>? From, IEventStream<ClinicianDay>? To) : AppointmentChange.Target(Stream)
{
    public static async Task<Move> LoadAsync(Guid id, DateTimeOffset? start, bool valid, IDocumentSession session, CancellationToken ct)
    {
        var stream = await AppointmentChange.LoadAsync(id, session, ct);
        if (stream.Aggregate is not { } a || !valid) return new Move(stream, null, null, null);
        var schedule = await session.LoadAsync<ClinicianSchedule>(ClinicianSchedule.IdFor(a.FacilityId, a.ClinicianId), ct);
        if (!a.Holds) return new Move(stream, schedule, null, null);
        var from = await Slots.DayAsync(session, a.FacilityId, a.ClinicianId, a.Start, ct);
        var to = Appointment.DayOf(start!.Value) == a.Day ? from : await Slots.DayAsync(session, a.FacilityId, a.ClinicianId, start.Value, ct);
        return new Move(stream, schedule, from, to);
    }

    /// <summary>Frees the old interval and holds the new one (both on one stream when the day stays the same).</summary>
    public void Apply(DateTimeOffset start, int duration)
    {
        if (From is null || To is null) return;
        var a = Stream.Aggregate!;
        if (From.Aggregate?.Booked.ContainsKey(a.Id) == true) From.AppendOne(new SlotFreed(From.Id, a.Id));
        Slots.Hold(To, a.FacilityId, a.ClinicianId, a.Id, start, duration);
    }
}

public static class RescheduleAppointmentEndpoint
{
    public static Task<Move> LoadAsync(Guid id, RescheduleAppointment command, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        Move.LoadAsync(id, command.Start, Slots.Errors(command.Start, command.DurationMinutes ?? Slots.MinMinutes, clock.GetUtcNow()).Count == 0,
            session, ct);

    public static ProblemDetails Validate(RescheduleAppointment command, [NotBody] Move move, CurrentScope scope, TimeProvider clock)
    {
        var errors = Slots.Errors(command.Start, command.DurationMinutes ?? move.Stream.Current().DurationMinutes, clock.GetUtcNow());
        Requests.Limits.Text(errors, "reason", command.Reason, Requests.Limits.Reason);
        return Problems.Validation(errors)
            .Then(() => move.Stream.Current().Allows("reschedule", AppointmentStatus.Proposed, AppointmentStatus.Booked))
            .Then(() => Slots.Free(move.Schedule, move.To?.Aggregate, command.Start!.Value,
                command.DurationMinutes ?? move.Stream.Current().DurationMinutes, except: move.Stream.Id));
    }

    /// <summary>
    /// Moves the appointment to a new time under the same rules as a booking (never into an overlap); the previous time is
    /// kept in its history.
    /// </summary>
    [WolverinePost("/api/appointments/{id}/reschedule", Name = "RescheduleAppointment"), Authorize(Actions.ManageAppointment)]
    public static Appointment Post(RescheduleAppointment command, [NotBody] Move move, TimeProvider clock)
    {
        var current = move.Stream.Current();
        var (start, duration) = (command.Start!.Value.ToUniversalTime(), command.DurationMinutes ?? current.DurationMinutes);
        move.Apply(start, duration);
        return move.Stream.Decide(new AppointmentRescheduled(current.Id, current.Start, current.DurationMinutes, start, duration,
            command.Reason?.Trim(), clock.GetUtcNow()));
    }
}
