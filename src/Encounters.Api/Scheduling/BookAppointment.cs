using Encounters.Patients;
using JasperFx.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Scheduling;

/// <summary>A booking request; <c>proposed</c> suggests a time without holding it (confirm books it).</summary>
public record BookAppointment(Guid? PatientId, string? ClinicianId, DateTimeOffset? Start, int? DurationMinutes, string? Reason, bool? Proposed);

/// <summary>What a booking decision reads: the patient here, the clinician's schedule and their day.</summary>
public record BookingContext(bool PatientHere, ClinicianSchedule? Schedule, IEventStream<ClinicianDay>? Day);

public static class BookAppointmentEndpoint
{
    public static async Task<BookingContext> LoadAsync(BookAppointment command, IDocumentSession session, CurrentScope scope,
        TimeProvider clock, CancellationToken ct)
    {
        var patientHere = command.PatientId is { } id && scope.IsHere(await session.LoadAsync<Patient>(id, ct));
        if (string.IsNullOrWhiteSpace(command.ClinicianId) || command.ClinicianId.Length > Requests.Limits.Code ||
            Slots.Errors(command.Start, command.DurationMinutes, clock.GetUtcNow()).Count > 0)
            return new BookingContext(patientHere, null, null);
        var schedule = await session.LoadAsync<ClinicianSchedule>(ClinicianSchedule.IdFor(scope.FacilityId, command.ClinicianId), ct);
        return new BookingContext(patientHere, schedule,
            await Slots.DayAsync(session, scope.FacilityId, command.ClinicianId, command.Start!.Value, ct));
    }

    public static ProblemDetails Validate(BookAppointment command, [NotBody] BookingContext context, TimeProvider clock)
    {
        var errors = Slots.Errors(command.Start, command.DurationMinutes, clock.GetUtcNow());
        if (!context.PatientHere) errors["patientId"] = ["No such patient in this facility."];
        Requests.Limits.Text(errors, "clinicianId", command.ClinicianId, Requests.Limits.Code, required: true);
        Requests.Limits.Text(errors, "reason", command.Reason, 500, required: true);
        return Problems.Validation(errors)
            .Then(() => Slots.Free(context.Schedule, command.Proposed == true ? null : context.Day?.Aggregate, command.Start!.Value,
                command.DurationMinutes!.Value));
    }

    /// <summary>
    /// Books a patient into a clinician's day: 15–480 minutes, not in the past, inside their working hours and overlapping
    /// none of their booked appointments (409 appointment.slot_taken), even when two desks book the same slot at once.
    /// </summary>
    [WolverinePost("/api/appointments", Name = "BookAppointment"), Authorize(Actions.BookAppointment)]
    public static (Created<Appointment>, IStartStream) Post(BookAppointment command, [NotBody] BookingContext context, CurrentScope scope,
        TimeProvider clock)
    {
        var booked = new AppointmentBooked(Guid.CreateVersion7(), scope.FacilityId, command.PatientId!.Value, command.ClinicianId!,
            command.Start!.Value.ToUniversalTime(), command.DurationMinutes!.Value, command.Reason!.Trim(), command.Proposed == true,
            clock.GetUtcNow());
        var appointment = Appointment.Create(booked) with { Version = 1 };
        if (!command.Proposed.GetValueOrDefault())
            Slots.Hold(context.Day!, scope.FacilityId, booked.ClinicianId, booked.AppointmentId, booked.Start, booked.DurationMinutes);
        return (TypedResults.Created($"/api/appointments/{appointment.Id}", appointment),
            MartenOps.StartStream<Appointment>(appointment.Id, booked));
    }
}
