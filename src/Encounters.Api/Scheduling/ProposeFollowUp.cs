using Encounters.Encounters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Scheduling;

/// <summary>
/// A proposed appointment from the follow-up date in a visit's plan, with the clinician who saw the patient. The time defaults
/// to the start of the clinician's first working block that day; the length to one slot.
/// </summary>
public record ProposeFollowUp(Guid EncounterId, TimeOnly? Time, int? DurationMinutes);

/// <summary>What a follow-up proposal reads: the visit as the clinician documented it, and the clinician's schedule.</summary>
public record FollowUpContext(EncounterView? Visit, ClinicianSchedule? Schedule);

public static class ProposeFollowUpEndpoint
{
    public static async Task<FollowUpContext> LoadAsync(ProposeFollowUp command, IDocumentSession session, CurrentScope scope, CancellationToken ct)
    {
        var visit = await session.LoadAsync<EncounterView>(command.EncounterId, ct);
        if (!scope.IsHere(visit)) return new FollowUpContext(null, null);
        return new FollowUpContext(visit, visit.AttendingClinician is { } clinician
            ? await session.LoadAsync<ClinicianSchedule>(ClinicianSchedule.IdFor(scope.FacilityId, clinician.UserId), ct)
            : null);
    }

    /// <summary>The proposed start: the plan's date at the asked time, else at the clinician's first working hour that day.</summary>
    private static DateTimeOffset? Start(ProposeFollowUp command, FollowUpContext context) =>
        context.Visit?.FollowUpDate is { } date
            ? new DateTimeOffset(date.ToDateTime(command.Time ?? context.Schedule?.On(date).FirstOrDefault()?.Start ?? new TimeOnly(9, 0)), TimeSpan.Zero)
            : null;

    private static int Duration(ProposeFollowUp command, FollowUpContext context) => command.DurationMinutes ?? context.Schedule?.SlotMinutes ?? Slots.MinMinutes;

    public static ProblemDetails Validate(ProposeFollowUp command, [NotBody] FollowUpContext context, TimeProvider clock)
    {
        if (context.Visit is null) return Problems.NotFound("Encounter");
        if (context.Visit.FollowUpDate is null || context.Visit.AttendingClinician is null)
            return Problems.Conflict("appointment.no_follow_up", "The visit's plan names no follow-up date, or no clinician saw the patient.");
        return Problems.Validation(Slots.Errors(Start(command, context), Duration(command, context), clock.GetUtcNow()))
            .Then(() => Slots.Free(context.Schedule, null, Start(command, context)!.Value, Duration(command, context)));
    }

    /// <summary>Proposes the follow-up (it holds no time until the front desk confirms it with the patient).</summary>
    [WolverinePost("/api/appointments/follow-up", Name = "ProposeFollowUp"), Authorize(Actions.BookAppointment)]
    public static (Created<Appointment>, IStartStream) Post(ProposeFollowUp command, [NotBody] FollowUpContext context, CurrentScope scope,
        TimeProvider clock)
    {
        var visit = context.Visit!;
        var booked = new AppointmentBooked(Guid.CreateVersion7(), scope.FacilityId, visit.PatientId, visit.AttendingClinician!.UserId,
            Start(command, context)!.Value, Duration(command, context), $"Follow-up: {visit.Reason}"[..Math.Min(500, visit.Reason.Length + 11)],
            Proposed: true, clock.GetUtcNow());
        var appointment = Appointment.Create(booked) with { Version = 1 };
        return (TypedResults.Created($"/api/appointments/{appointment.Id}", appointment), MartenOps.StartStream<Appointment>(appointment.Id, booked));
    }
}
