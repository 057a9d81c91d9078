using JasperFx.Events;

namespace Encounters.Scheduling;

public record CancelAppointment(string? Reason);

public static class CancelAppointmentEndpoint
{
    public static Task<IEventStream<Appointment>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        AppointmentChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(CancelAppointment command, [NotBody] IEventStream<Appointment> stream, CurrentScope scope) =>
        stream.Found()
            .Then(() => Problems.Validation(Reasons.Errors(command.Reason)))
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
