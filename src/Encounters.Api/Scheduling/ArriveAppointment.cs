using Encounters.Encounters;
using JasperFx.Events;

namespace Encounters.Scheduling;

/// <summary>The patient is here. <c>encounterId</c> names an encounter already planned for this visit; without it one is created.</summary>
public record ArriveAppointment(Guid? EncounterId);

/// <summary>What an arrival reads: the appointment, and the planned encounter it checks in (when named).</summary>
public record Arrival(IEventStream<Appointment> Stream, IEventStream<Encounter>? Encounter) : AppointmentChange.Target(Stream);

public static class ArriveAppointmentEndpoint
{
    public static async Task<Arrival> LoadAsync(Guid id, ArriveAppointment command, IDocumentSession session, CancellationToken ct) =>
        new(await AppointmentChange.LoadAsync(id, session, ct),
            command.EncounterId is { } encounter && encounter != Guid.Empty ? await session.Events.FetchForWriting<Encounter>(encounter, ct) : null);

    public static ProblemDetails Validate(ArriveAppointment command, [NotBody] Arrival arrival, CurrentScope scope) =>
        arrival.Stream.Current().Allows("arrive for", AppointmentStatus.Booked)
            .Then(() => command.EncounterId is null ? WolverineContinue.NoProblems
                : arrival.Encounter?.Aggregate is { } e && scope.IsHere(e) && e.PatientId == arrival.Stream.Current().PatientId
                    ? EncounterTransitions.Check(e, EncounterTransitions.Command.CheckIn)
                    : Problems.Validation(new() { ["encounterId"] = ["No such encounter of this patient in this facility."] }));

    /// <summary>
    /// The patient arrived for a booked appointment: booked → arrived, and in the same transaction the visit's encounter is
    /// checked in (planned → arrived), created first when none was named.
    /// </summary>
    [WolverinePost("/api/appointments/{id}/arrive", Name = "ArriveAppointment"), Authorize(Actions.ManageAppointment)]
    public static Appointment Post(ArriveAppointment command, [NotBody] Arrival arrival, IDocumentSession session, TimeProvider clock)
    {
        var a = arrival.Stream.Current();
        var now = clock.GetUtcNow();
        var encounterId = arrival.Encounter?.Id ?? Guid.CreateVersion7();
        var checkedIn = new PatientCheckedIn(encounterId, now);
        if (arrival.Encounter is { } planned) planned.AppendOne(checkedIn);
        else
            session.Events.StartStream<Encounter>(encounterId,
                new EncounterPlanned(encounterId, a.PatientId, a.FacilityId, a.Reason, a.Start, now), checkedIn);
        return arrival.Stream.Decide(new AppointmentArrived(a.Id, encounterId, now));
    }
}
