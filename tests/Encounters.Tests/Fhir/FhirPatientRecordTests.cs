using Encounters.Medications;
using Encounters.Patients;
using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Tests.Fhir;

/// <summary>The patient record's allergies and problems, prescriptions and appointments, read back through /fhir.</summary>
[Collection(ApiCollection.Name)]
public class FhirPatientRecordTests(AppFixture app) : FhirTest(app)
{
    [Fact]
    public async Task allergies_problems_prescriptions_and_appointments_read_as_linked_fhir_resources()
    {
        var encounter = await InConsult();
        var patient = await PatientOf(encounter);
        var allergy = (await Nurse.Post($"/api/patients/{patient}/allergies",
            new { substance = new { code = "penicillins", text = "Penicillin" }, reaction = "hives", severity = "moderate", criticality = "high" }, 200))
            .As<AllergyList>().Allergies[0].Id;
        var problem = (await Doctor.Post($"/api/patients/{patient}/problems", new { code = "I10", display = "Essential hypertension", onset = "2020-01-01" }, 200))
            .As<ProblemList>().Problems[0].Id;
        var prescription = (await Doctor.Post($"/api/encounters/{encounter}/prescriptions", new
        {
            lines = new[] { new { code = "PARA-500", dose = 1000, frequency = "four-times-daily", durationDays = 3 } },
        }, 201)).As<PrescriptionGroup>().Prescriptions[0].Id;
        var tomorrow = DateTime.UtcNow.Date.AddDays(1);
        await Admin.Post("/api/schedules", new { clinicianId = "dr-kofi", slotMinutes = 15,
            hours = new[] { new { day = tomorrow.DayOfWeek.ToString().ToLowerInvariant(), start = "08:00", end = "17:00" } } }, 200);
        var appointment = (await Reception.Post("/api/appointments", new { patientId = patient, clinicianId = "dr-kofi",
            start = new DateTimeOffset(tomorrow.AddHours(9), TimeSpan.Zero), durationMinutes = 30, reason = "Review" }, 201)).Id;

        var intolerance = await Fhir<R4.AllergyIntolerance>(Doctor, $"/fhir/AllergyIntolerance/{allergy}");
        intolerance.Criticality.ShouldBe(R4.AllergyIntolerance.AllergyIntoleranceCriticality.High);
        intolerance.Reaction.ShouldHaveSingleItem().Severity.ShouldBe(R4.AllergyIntolerance.AllergyIntoleranceSeverity.Moderate);
        await ReferencesResolve(Doctor, intolerance);

        var condition = await Fhir<R4.Condition>(Doctor, $"/fhir/Condition/{problem}");
        condition.Code.Coding[0].Code.ShouldBe("I10");
        condition.ClinicalStatus.Coding[0].Code.ShouldBe("active");
        await ReferencesResolve(Doctor, condition);
        await Fhir<R4.OperationOutcome>(Doctor, $"/fhir/Condition/{problem}/_history/1", 404);

        var request = await Fhir<R4.MedicationRequest>(Doctor, $"/fhir/MedicationRequest/{prescription}");
        request.Status.ShouldBe(R4.MedicationRequest.MedicationrequestStatus.Active);
        request.DispenseRequest.NumberOfRepeatsAllowed.ShouldBe(0);
        await ReferencesResolve(Doctor, request);
        (await Fhir<R4.Bundle>(Doctor, $"/fhir/MedicationRequest/{prescription}/_history")).Entry.ShouldNotBeEmpty();

        var booked = await Fhir<R4.Appointment>(Reception, $"/fhir/Appointment/{appointment}");
        booked.Status.ShouldBe(R4.Appointment.AppointmentStatus.Booked);
        booked.MinutesDuration.ShouldBe(30);
        await ReferencesResolve(Doctor, booked);

        await Fhir<R4.OperationOutcome>(Reception, $"/fhir/Condition/{problem}", 403);
        await Fhir<R4.OperationOutcome>(As("clinician", "dr-elsewhere", "clinic-2"), $"/fhir/MedicationRequest/{prescription}", 404);
        await Fhir<R4.OperationOutcome>(As("receptionist", "rita", "clinic-2"), $"/fhir/Appointment/{appointment}", 404);
    }
}
