using Encounters.Encounters;
using Encounters.Scheduling;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Issue 15, appointments: booking into a clinician's day, every refusal alone, the double-booking race, the lifecycle.</summary>
[Collection(ApiCollection.Name)]
public partial class AppointmentTests(AppFixture app) : ClinicTest(app)
{
    /// <summary>Tomorrow (UTC) at the given time: never in the past, whatever the hour the suite runs.</summary>
    private static DateTimeOffset Tomorrow(int hour, int minute = 0) =>
        new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero).AddHours(hour).AddMinutes(minute);

    /// <summary>Dr Kofi works 08:00–12:00 and 13:00–17:00 every day, in 15-minute slots.</summary>
    private async Task WorkingWeek(string clinician = "dr-kofi")
    {
        var hours = Enum.GetValues<DayOfWeek>().SelectMany(d => new[]
        {
            new { day = d.ToString().ToLowerInvariant(), start = "08:00", end = "12:00" },
            new { day = d.ToString().ToLowerInvariant(), start = "13:00", end = "17:00" },
        }).ToArray();
        await Admin.Post("/api/schedules", new { clinicianId = clinician, clinicianName = "Dr Kofi Asante", slotMinutes = 15, hours }, 200);
    }

    private async Task<Response> Book(Caller who, Guid patient, DateTimeOffset start, int minutes = 30, int expect = 201) =>
        await who.Post("/api/appointments", new { patientId = patient, clinicianId = "dr-kofi", start, durationMinutes = minutes, reason = "Review" }, expect);

    /// <summary>The appointment an answer or a read states.</summary>
    private static Appointment AppointmentOf(Response answer) => answer.As<Appointment>();

    [Fact]
    public async Task a_receptionist_books_a_patient_into_a_free_slot_and_the_slot_is_no_longer_free()
    {
        await WorkingWeek();
        var patient = await TestData.RegisterPatient(Reception);
        var date = Tomorrow(0).ToString("yyyy-MM-dd");
        (await Reception.Get($"/api/schedules/dr-kofi/slots?date={date}&pageSize=100", 200)).As<Page<FreeSlot>>().Total.ShouldBe(32);

        var booked = await Book(Reception, patient, Tomorrow(9));
        AppointmentOf(booked).Status.ShouldBe(AppointmentStatus.Booked);
        booked.ETag.ShouldBe("\"1\"");

        var slots = (await Reception.Get($"/api/schedules/dr-kofi/slots?date={date}&pageSize=100", 200)).As<Page<FreeSlot>>();
        slots.Total.ShouldBe(30);
        slots.Items.Select(s => s.Start).ShouldNotContain(Tomorrow(9, 15));

        var day = (await Reception.Get($"/api/appointments?date={date}&clinicianId=dr-kofi", 200)).As<Page<AppointmentRow>>().Items;
        day.Count.ShouldBe(1);
        day[0].PatientName.ShouldBe("Amina Okafor");
        (await Reception.Get($"/api/patients/{patient}/appointments", 200)).As<Page<AppointmentRow>>().Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task each_refusal_rule_alone()
    {
        await WorkingWeek();
        var patient = await TestData.RegisterPatient(Reception);
        (await Book(Reception, patient, DateTimeOffset.UtcNow.AddHours(-2), expect: 400)).Problem.Errors!.ShouldContainKey("start");
        (await Book(Reception, patient, Tomorrow(9), minutes: 10, expect: 400)).Problem.Errors!.ShouldContainKey("durationMinutes");
        (await Book(Reception, patient, Tomorrow(9), minutes: 481, expect: 400)).Problem.Errors!.ShouldContainKey("durationMinutes");
        (await Book(Reception, patient, Tomorrow(6), expect: 409)).Problem.Code.ShouldBe("appointment.outside_hours");
        (await Book(Reception, patient, Tomorrow(11, 45), expect: 409)).Problem.Code.ShouldBe("appointment.outside_hours"); // runs into lunch
        await Book(Reception, patient, Tomorrow(10));
        (await Book(Reception, patient, Tomorrow(10, 15), expect: 409)).Problem.Code.ShouldBe("appointment.slot_taken");
        await Book(Reception, patient, Tomorrow(10, 30)); // back to back is not an overlap
        (await Reception.Post("/api/appointments", new { patientId = Guid.NewGuid(), clinicianId = "dr-kofi", start = Tomorrow(14),
            durationMinutes = 30, reason = "Review" }, 400)).Problem.Errors!.ShouldContainKey("patientId");
    }

    [Fact]
    public async Task two_receptionists_booking_the_same_slot_at_the_same_moment_exactly_one_wins()
    {
        await WorkingWeek();
        var patients = new[] { await TestData.RegisterPatient(Reception), await TestData.RegisterPatient(Reception, "Kwame Mensah") };
        for (var round = 0; round < 4; round++)
        {
            var start = Tomorrow(8 + round);
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() =>
                As("receptionist", $"desk-{i}").Attempt("/api/appointments",
                    new { patientId = patients[i], clinicianId = "dr-kofi", start, durationMinutes = 30, reason = "Review" }))));
            results.Select(r => r.Status).OrderBy(s => s).ShouldBe([201, 409]);
            results.Single(r => r.Status == 409).Problem.Code.ShouldBe("appointment.slot_taken");
        }
        var day = (await Reception.Get($"/api/appointments?date={Tomorrow(0):yyyy-MM-dd}", 200)).As<Page<AppointmentRow>>().Items;
        day.Count.ShouldBe(4);
    }

    [Fact]
    public async Task a_reschedule_moves_the_appointment_keeps_its_history_and_never_moves_into_an_overlap()
    {
        await WorkingWeek();
        var patient = await TestData.RegisterPatient(Reception);
        var other = await Book(Reception, patient, Tomorrow(14));
        var appointment = await Book(Reception, patient, Tomorrow(9));

        (await Reception.Post($"/api/appointments/{appointment.Id}/reschedule", new { start = Tomorrow(14, 15) }, 409)).Problem.Code.ShouldBe("appointment.slot_taken");
        AppointmentOf(await Reception.Post($"/api/appointments/{appointment.Id}/reschedule", new { start = Tomorrow(9, 15), reason = "Patient running late" }, 200))
            .Status.ShouldBe(AppointmentStatus.Booked); // overlapping its own old time is fine
        var moved = await Reception.Post($"/api/appointments/{appointment.Id}/reschedule", new { start = Tomorrow(1).AddDays(1).AddHours(9), durationMinutes = 45 }, 200);

        var read = AppointmentOf(await Reception.Get($"/api/appointments/{appointment.Id}", 200));
        read.Start.ShouldBe(Tomorrow(1).AddDays(1).AddHours(9));
        read.DurationMinutes.ShouldBe(45);
        read.History.Select(h => h.Start).ShouldBe([Tomorrow(9), Tomorrow(9, 15)]);
        read.History[0].Reason.ShouldBe("Patient running late");
        moved.ETag.ShouldBe("\"3\"");

        // The old time is free again: another patient can have it.
        await Book(Reception, await TestData.RegisterPatient(Reception, "Kwame Mensah"), Tomorrow(9, 15));
        AppointmentOf(other).Status.ShouldBe(AppointmentStatus.Booked);
    }

    [Fact]
    public async Task arrival_creates_and_checks_in_the_visit_encounter_in_one_step()
    {
        await WorkingWeek();
        var patient = await TestData.RegisterPatient(Reception);
        var appointment = await Book(Reception, patient, Tomorrow(9));

        var arrived = await Reception.Post($"/api/appointments/{appointment.Id}/arrive", new { }, 200);
        AppointmentOf(arrived).Status.ShouldBe(AppointmentStatus.Arrived);
        var encounter = (await Reception.Get($"/api/encounters/{AppointmentOf(arrived).EncounterId}", 200)).As<EncounterView>();
        encounter.Status.ShouldBe(EncounterStatus.Arrived);
        encounter.PatientId.ShouldBe(patient);
        (await Reception.Post($"/api/appointments/{appointment.Id}/arrive", new { }, 409)).Problem.Code.ShouldBe("appointment.invalid_transition");

        // An encounter already planned for the visit is checked in, not duplicated.
        var planned = await TestData.PlanEncounter(Reception, patient);
        var second = await Book(Reception, patient, Tomorrow(15));
        AppointmentOf(await Reception.Post($"/api/appointments/{second.Id}/arrive", new { encounterId = planned }, 200)).EncounterId.ShouldBe(planned);
        (await Reception.Get($"/api/encounters/{planned}", 200)).As<EncounterView>().Status.ShouldBe(EncounterStatus.Arrived);
    }

    [Fact]
    public async Task a_no_show_is_recorded_from_the_appointment_day_and_a_cancellation_frees_the_time()
    {
        await WorkingWeek();
        var patient = await TestData.RegisterPatient(Reception);
        var appointment = await Book(Reception, patient, Tomorrow(9));
        (await Reception.Post($"/api/appointments/{appointment.Id}/no-show", null, 409)).Problem.Code.ShouldBe("appointment.not_due");
        AppFixture.Clock.Offset = TimeSpan.FromDays(1).Add(TimeSpan.FromHours(12) - DateTimeOffset.UtcNow.TimeOfDay);
        try
        {
            AppointmentOf(await Reception.Post($"/api/appointments/{appointment.Id}/no-show", null, 200)).Status.ShouldBe(AppointmentStatus.NoShow);
        }
        finally
        {
            AppFixture.Clock.Offset = TimeSpan.Zero;
        }

        var cancelled = await Book(Reception, patient, Tomorrow(14));
        (await Reception.Post($"/api/appointments/{cancelled.Id}/cancel", new { reason = " " }, 400)).Problem.Errors!.ShouldContainKey("reason");
        var done = await Reception.Post($"/api/appointments/{cancelled.Id}/cancel", new { reason = "Patient travelling" }, 200);
        AppointmentOf(done).Status.ShouldBe(AppointmentStatus.Cancelled);
        AppointmentOf(done).CancellationReason.ShouldBe("Patient travelling");
        await Book(Reception, patient, Tomorrow(14));
    }
}
