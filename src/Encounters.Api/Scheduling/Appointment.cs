using System.Text.Json.Serialization;

namespace Encounters.Scheduling;

// Events of an appointment's stream, in FHIR Appointment vocabulary; never changed once written.
public record AppointmentBooked(Guid AppointmentId, string FacilityId, Guid PatientId, string ClinicianId, DateTimeOffset Start,
    int DurationMinutes, string Reason, bool Proposed, DateTimeOffset BookedAt);

/// <summary>A proposed appointment (a follow-up the clinic suggested) is confirmed into a held slot.</summary>
public record AppointmentConfirmed(Guid AppointmentId, DateTimeOffset ConfirmedAt);

/// <summary>A new time; the previous one stays in the appointment's history.</summary>
public record AppointmentRescheduled(Guid AppointmentId, DateTimeOffset PreviousStart, int PreviousDurationMinutes, DateTimeOffset Start,
    int DurationMinutes, string? Reason, DateTimeOffset RescheduledAt);

public record AppointmentCancelled(Guid AppointmentId, string Reason, DateTimeOffset CancelledAt);

/// <summary>The patient arrived for the appointment and was checked in to the encounter of the visit.</summary>
public record AppointmentArrived(Guid AppointmentId, Guid EncounterId, DateTimeOffset ArrivedAt);

public record AppointmentNoShowRecorded(Guid AppointmentId, DateTimeOffset RecordedAt);

/// <summary>FHIR Appointment.status (the subset this clinic uses).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AppointmentStatus>))]
public enum AppointmentStatus
{
    [JsonStringEnumMemberName("proposed")] Proposed,
    [JsonStringEnumMemberName("booked")] Booked,
    [JsonStringEnumMemberName("arrived")] Arrived,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("noshow")] NoShow,
}

/// <summary>A time the appointment was at before it moved.</summary>
public record PreviousTime(DateTimeOffset Start, int DurationMinutes, string? Reason, DateTimeOffset MovedAt);

/// <summary>An appointment as its stream leaves it: the write model and, kept inline, the front desk's row.</summary>
public sealed partial record Appointment(Guid Id, string FacilityId, Guid PatientId, string ClinicianId, DateTimeOffset Start,
    int DurationMinutes, string Reason, AppointmentStatus Status) : Scope.IFacilityScoped, Scope.IPatientChart
{
    public static string Resource => "Appointment";

    public long Version { get; set; }
    public DateOnly Day { get; init; }
    public DateTimeOffset End => Start.AddMinutes(DurationMinutes);
    public IReadOnlyList<PreviousTime> History { get; init; } = [];
    public string? CancellationReason { get; init; }
    public Guid? EncounterId { get; init; }

    public static Appointment Create(AppointmentBooked e) =>
        new(e.AppointmentId, e.FacilityId, e.PatientId, e.ClinicianId, e.Start, e.DurationMinutes, e.Reason,
            e.Proposed ? AppointmentStatus.Proposed : AppointmentStatus.Booked) { Day = DayOf(e.Start) };

    public Appointment Apply(AppointmentConfirmed _) => this with { Status = AppointmentStatus.Booked };

    public Appointment Apply(AppointmentRescheduled e) => this with
    {
        Start = e.Start, DurationMinutes = e.DurationMinutes, Day = DayOf(e.Start),
        History = [.. History, new PreviousTime(e.PreviousStart, e.PreviousDurationMinutes, e.Reason, e.RescheduledAt)],
    };

    public Appointment Apply(AppointmentCancelled e) => this with { Status = AppointmentStatus.Cancelled, CancellationReason = e.Reason };
    public Appointment Apply(AppointmentArrived e) => this with { Status = AppointmentStatus.Arrived, EncounterId = e.EncounterId };
    public Appointment Apply(AppointmentNoShowRecorded _) => this with { Status = AppointmentStatus.NoShow };

    /// <summary>The decided event and the appointment as it leaves it, as the command's answer.</summary>
    public (Appointment, Wolverine.Marten.Events) Decided(object @event) => (this.After(@event) with { Version = Version + 1 }, [@event]);

    /// <summary>Scheduling days are UTC days (the facility's time zone is not modelled yet).</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    [JsonIgnore] public bool Holds => Status == AppointmentStatus.Booked;

    /// <summary>The refusal for a command that needs one of <paramref name="from"/>: 409 appointment.invalid_transition.</summary>
    public ProblemDetails Allows(string action, params AppointmentStatus[] from) =>
        from.Contains(Status)
            ? WolverineContinue.NoProblems
            : Problems.Conflict("appointment.invalid_transition", $"Cannot {action} an appointment that is {ApiText.Of(Status)}.",
                new { currentStatus = ApiText.Of(Status) });
}

public static class AppointmentSchema
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<Appointment>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<ClinicianDay>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
        opts.Schema.For<Appointment>().Index(x => x.Day).Index(x => x.PatientId);
        opts.Events.AddEventTypes([
            typeof(AppointmentBooked), typeof(AppointmentConfirmed), typeof(AppointmentRescheduled), typeof(AppointmentCancelled),
            typeof(AppointmentArrived), typeof(AppointmentNoShowRecorded), typeof(SlotHeld), typeof(SlotFreed),
        ]);
        opts.Schema.For<ClinicianSchedule>();
    }
}
