using JasperFx.Events;

namespace Encounters.Scheduling;

/// <summary>
/// An appointment command's stream, opened for writing with the version it was read at (the day streams it touches
/// are opened in the same session, so the whole change commits or loses its race together).
/// </summary>
public static class AppointmentChange
{
    public static Task<IEventStream<Appointment>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        session.Events.FetchForWriting<Appointment>(id, ct);

    /// <summary>404 for a missing appointment or one of another facility, 412 for a stale If-Match.</summary>
    public static ProblemDetails Guard(this IEventStream<Appointment> stream, CurrentScope scope) =>
        stream.Aggregate is { } appointment
            ? scope.Guard(appointment.FacilityId, stream.CurrentVersion ?? appointment.Version, "Appointment")
            : Problems.NotFound("Appointment");

    /// <summary>Appends the decided event and answers the appointment as it leaves it.</summary>
    public static Appointment Decide(this IEventStream<Appointment> stream, object @event)
    {
        var current = stream.Aggregate!;
        var version = stream.CurrentVersion ?? current.Version;
        stream.AppendOne(@event);
        return current.After(@event) with { Version = version + 1 };
    }

    public static Appointment Current(this IEventStream<Appointment> stream) => stream.Aggregate!;
}

public record CancelAppointment(string? Reason);

public static class CancelAppointmentEndpoint
{
    public static Task<IEventStream<Appointment>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        AppointmentChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(CancelAppointment command, [NotBody] IEventStream<Appointment> stream, CurrentScope scope) =>
        stream.Guard(scope)
            .Then(() => Problems.Validation(Encounters.Reasons.Errors(command.Reason)))
            .Then(() => stream.Current().Allows("cancel", AppointmentStatus.Proposed, AppointmentStatus.Booked));

    /// <summary>Cancels a proposed or booked appointment with a reason; its time is free again.</summary>
    [WolverinePost("/api/appointments/{id}/cancel", Name = "CancelAppointment"), Authorize(Actions.ManageAppointment)]
    public static async Task<Appointment> Post(CancelAppointment command, [NotBody] IEventStream<Appointment> stream, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        await Slots.FreeAsync(session, stream.Current(), ct);
        return stream.Decide(new AppointmentCancelled(stream.Id, command.Reason!.Trim(), clock.GetUtcNow()));
    }
}

public static class MarkAppointmentNoShowEndpoint
{
    public static Task<IEventStream<Appointment>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        AppointmentChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate([NotBody] IEventStream<Appointment> stream, CurrentScope scope, TimeProvider clock) =>
        stream.Guard(scope)
            .Then(() => stream.Current().Allows("mark as no-show", AppointmentStatus.Booked))
            .Then(() => stream.Current().Day <= Appointment.DayOf(clock.GetUtcNow())
                ? WolverineContinue.NoProblems
                : Problems.Conflict("appointment.not_due", "A patient can be a no-show only on or after the appointment's day."));

    /// <summary>The patient did not come: booked → noshow, from the appointment's day on; the rest of the time is free again.</summary>
    [WolverinePost("/api/appointments/{id}/no-show", Name = "MarkAppointmentNoShow"), Authorize(Actions.ManageAppointment)]
    public static async Task<Appointment> Post([NotBody] IEventStream<Appointment> stream, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        await Slots.FreeAsync(session, stream.Current(), ct);
        return stream.Decide(new AppointmentNoShowRecorded(stream.Id, clock.GetUtcNow()));
    }
}
