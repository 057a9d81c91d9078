using Encounters.Scheduling;
using Shouldly;

namespace Encounters.Tests;

public partial class AppointmentTests
{
    [Fact]
    public async Task a_proposed_follow_up_holds_no_time_until_it_is_confirmed()
    {
        await WorkingWeek();
        var patient = await TestData.RegisterPatient(Reception);
        var proposed = await Doctor.Post("/api/appointments", new { patientId = patient, clinicianId = "dr-kofi", start = Tomorrow(9),
            durationMinutes = 15, reason = "Follow-up", proposed = true }, 201);
        AppointmentOf(proposed).Status.ShouldBe(AppointmentStatus.Proposed);
        var booked = await Book(Reception, patient, Tomorrow(9));
        (await Reception.Post($"/api/appointments/{proposed.Id}/confirm", null, 409)).Problem.Code.ShouldBe("appointment.slot_taken");
        await Reception.Post($"/api/appointments/{booked.Id}/cancel", new { reason = "Merged with the follow-up" }, 200);
        AppointmentOf(await Reception.Post($"/api/appointments/{proposed.Id}/confirm", null, 200)).Status.ShouldBe(AppointmentStatus.Booked);
    }

    [Fact]
    public async Task the_follow_up_date_of_a_visit_plan_proposes_an_appointment_with_the_clinician_who_saw_the_patient()
    {
        await WorkingWeek();
        var encounter = await InConsult();
        await Reception.Post("/api/appointments/follow-up", new { encounterId = encounter }, 409); // no follow-up date yet
        var date = Tomorrow(0).AddDays(6);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Review in a week.", followUpDate = date.ToString("yyyy-MM-dd") }, 200);

        var proposed = await Reception.Post("/api/appointments/follow-up", new { encounterId = encounter }, 201);
        var follow = AppointmentOf(proposed);
        (follow.Status, follow.ClinicianId, follow.DurationMinutes).ShouldBe((AppointmentStatus.Proposed, "dr-kofi", 15));
        follow.Start.ShouldBe(date.AddHours(8));
        AppointmentOf(await Reception.Post($"/api/appointments/{proposed.Id}/confirm", null, 200)).Status.ShouldBe(AppointmentStatus.Booked);
    }

    [Fact]
    public async Task roles_and_facilities()
    {
        await WorkingWeek();
        var patient = await TestData.RegisterPatient(Reception);
        var hours = new[] { new { day = "monday", start = "08:00", end = "12:00" } };
        await Reception.Post("/api/schedules", new { clinicianId = "dr-x", slotMinutes = 15, hours }, 403);
        await As("lab_technician", "tech-tom").Post("/api/appointments", new { patientId = patient, clinicianId = "dr-kofi", start = Tomorrow(9),
            durationMinutes = 30, reason = "Review" }, 403);
        await As("billing_officer", "bo-1").Post("/api/appointments", new { patientId = patient, clinicianId = "dr-kofi", start = Tomorrow(9),
            durationMinutes = 30, reason = "Review" }, 403);
        var appointment = await Book(Reception, patient, Tomorrow(9));
        var elsewhere = As("receptionist", "rico", "clinic-2");
        await elsewhere.Get($"/api/appointments/{appointment.Id}", 404);
        await elsewhere.Post($"/api/appointments/{appointment.Id}/cancel", new { reason = "x" }, 404);
        (await elsewhere.Get($"/api/appointments?date={Tomorrow(0):yyyy-MM-dd}", 200)).As<Page<AppointmentRow>>().Items.ShouldBeEmpty();
    }
}
