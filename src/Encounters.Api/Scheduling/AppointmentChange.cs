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

    /// <summary>
    /// What a command that reads more than the appointment acts on: the appointment, for the facility guard (a missing
    /// one has no facility, so the guard answers 404 before the command's Validate runs).
    /// </summary>
    public abstract record Target(IEventStream<Appointment> Stream) : IFacilityScoped
    {
        public string FacilityId => Stream.Aggregate?.FacilityId ?? "";
        public long Version => Stream.CurrentVersion ?? 0;
        public static string Resource => Appointment.Resource;
    }

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
