using JasperFx.Events;

namespace Encounters.Scheduling;

public static class MarkAppointmentNoShowEndpoint
{
    public static Task<IEventStream<Appointment>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        AppointmentChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate([NotBody] IEventStream<Appointment> stream, CurrentScope scope, TimeProvider clock) =>
        stream.Found()
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
