using Encounters.Audit;
using Encounters.Scheduling;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>FHIR Appointment from an appointment stream, folded by the Scheduling module's Appointment.</summary>
public static class FhirAppointment
{
    public static readonly FhirStream<Appointment> Source = new("Appointment",
        e => e is AppointmentBooked b ? new StreamOwner(b.FacilityId, b.PatientId) : null, Map);

    public static R4.Appointment Map(FhirFold<Appointment> fold)
    {
        var a = fold.State;
        var accepted = R4.ParticipationStatus.Accepted;
        return new R4.Appointment
        {
            Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<R4.Appointment.AppointmentStatus>(ApiText.Of(a.Status)),
            CancelationReason = a.CancellationReason is { } reason ? new R4.CodeableConcept { Text = reason } : null,
            Description = a.Reason,
            Start = a.Start,
            End = a.End,
            MinutesDuration = a.DurationMinutes,
            Created = new R4.FhirDateTime(fold.Events[0].Timestamp).Value,
            Participant =
            [
                new R4.Appointment.ParticipantComponent { Actor = FhirLinks.To("Patient", a.PatientId), Status = accepted },
                new R4.Appointment.ParticipantComponent { Actor = FhirLinks.Staff(fold.Tenant, a.ClinicianId, null), Status = accepted },
            ],
        };
    }

    /// <summary>An appointment of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.appointment")]
    [WolverineGet("/fhir/Appointment/{id}", Name = "ReadFhirAppointment"), Authorize(Actions.ReadAppointment)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, null, session, scope, ct);

    /// <summary>The appointment at one version of its stream (a reschedule keeps the earlier time readable).</summary>
    [ReadsChart("fhir.appointment")]
    [WolverineGet("/fhir/Appointment/{id}/_history/{vid}", Name = "VreadFhirAppointment"), Authorize(Actions.ReadAppointment)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, vid, session, scope, ct);

    /// <summary>Every version of the appointment, newest first, from its events.</summary>
    [ReadsChart("fhir.appointment.history")]
    [WolverineGet("/fhir/Appointment/{id}/_history", Name = "FhirAppointmentHistory"), Authorize(Actions.ReadAppointment)]
    public static Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        Source.HistoryAsync(FhirLinks.StreamOf(id), id, _count, _page, request, session, scope, ct);
}
