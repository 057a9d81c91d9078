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
