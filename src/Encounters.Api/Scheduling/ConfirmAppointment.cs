namespace Encounters.Scheduling;

public static class ConfirmAppointmentEndpoint
{
    public static async Task<Move> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct)
    {
        var stream = await AppointmentChange.LoadAsync(id, session, ct);
        if (stream.Aggregate is not { Status: AppointmentStatus.Proposed } a) return new Move(stream, null, null, null);
        var day = await Slots.DayAsync(session, a.FacilityId, a.ClinicianId, a.Start, ct);
        return new Move(stream, await session.LoadAsync<ClinicianSchedule>(ClinicianSchedule.IdFor(a.FacilityId, a.ClinicianId), ct), day, day);
    }

    public static ProblemDetails Validate([NotBody] Move move, CurrentScope scope, TimeProvider clock) =>
        move.Stream.Current().Allows("confirm", AppointmentStatus.Proposed)
            .Then(() => move.Stream.Current().Start >= clock.GetUtcNow().AddMinutes(-1)
                ? WolverineContinue.NoProblems
                : Problems.Conflict("appointment.in_past", "The proposed time has passed: reschedule it instead."))
            .Then(() => Slots.Free(move.Schedule, move.To?.Aggregate, move.Stream.Current().Start, move.Stream.Current().DurationMinutes));

    /// <summary>Books a proposed appointment: proposed → booked, holding its time under the booking rules.</summary>
    [WolverinePost("/api/appointments/{id}/confirm", Name = "ConfirmAppointment"), Authorize(Actions.ManageAppointment)]
    public static Appointment Post([NotBody] Move move, TimeProvider clock)
    {
        var a = move.Stream.Current();
        Slots.Hold(move.To!, a.FacilityId, a.ClinicianId, a.Id, a.Start, a.DurationMinutes);
        return move.Stream.Decide(new AppointmentConfirmed(a.Id, clock.GetUtcNow()));
    }
}
