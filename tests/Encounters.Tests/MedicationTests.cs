using Encounters.Audit;
using Encounters.Medications;
using Encounters.Patients;
using Encounters.Timeline;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Prescribing with safety checks and overrides, the prescription lifecycle, and dispensing.</summary>
public class MedicationTests(AppFixture app) : PrescribingTest(app)
{
    private static IReadOnlyList<Prescription> Written(Response created) => created.As<PrescriptionGroup>().Prescriptions;

    private static Page<Prescription> Prescriptions(Response list) => list.As<Page<Prescription>>();

    [Fact]
    public async Task a_prescription_that_passes_is_active_valid_30_days_and_listed_for_the_visit_and_the_patient()
    {
        var (encounter, patient) = await Visit();
        var created = await Prescribe(encounter, 201, Amoxicillin(), new { code = "PARA-500", dose = 1000, frequency = "four-times-daily", durationDays = 3 });
        var lines = Written(created);
        lines.Count.ShouldBe(2);
        lines[0].Status.ShouldBe(PrescriptionStatus.Active);
        lines[1].Line.Quantity.ShouldBe(24m);
        (lines[0].ValidUntil - lines[0].PrescribedAt).ShouldBe(TimeSpan.FromDays(30));

        Prescriptions(await Doctor.Get($"/api/encounters/{encounter}/prescriptions", 200)).Items.Count.ShouldBe(2);
        Prescriptions(await Doctor.Get($"/api/patients/{patient}/medications", 200)).Total.ShouldBe(2);
        await CaughtUp();
        var timeline = (await Doctor.Get($"/api/encounters/{encounter}/timeline?kind=medication", 200)).As<Page<TimelineEntry>>().Items;
        timeline.Count.ShouldBe(2);
        timeline[0].Summary.ShouldStartWith("Prescribed Amoxicillin 500 mg");
    }

    [Fact]
    public async Task an_allergy_conflict_is_refused_then_accepted_with_an_override_reason_shown_on_the_timeline_and_in_the_audit()
    {
        var (encounter, patient) = await Visit(new { substance = new { text = "Penicillin" }, reaction = "rash", severity = "mild" });
        var refused = await Prescribe(encounter, 409, Amoxicillin());
        refused.Problem.Code.ShouldBe("medication.safety_check");
        refused.Problem.Findings!.Select(f => f.Code).ShouldBe(["allergy"]);
        Prescriptions(await Doctor.Get($"/api/encounters/{encounter}/prescriptions", 200)).Total.ShouldBe(0);

        var accepted = await Prescribe(encounter, 201, Amoxicillin([new { code = "allergy", reason = "Rash only as a child; tolerated amoxicillin in 2022" }]));
        var overrides = Written(accepted)[0].Overrides;
        overrides.Single().Reason.ShouldStartWith("Rash only as a child");

        await CaughtUp();
        var timeline = (await Doctor.Get($"/api/encounters/{encounter}/timeline?kind=medication.prescribed", 200)).As<Page<TimelineEntry>>().Items;
        timeline.Count.ShouldBe(1);
        timeline[0].Summary.ShouldContain("OVERRIDE allergy: Rash only as a child");
        var audit = await Auditor.Get($"/api/audit?patientId={patient}&action=medication_requested", 200);
        audit.As<Page<AuditEntry>>().Items.Count.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task allergies_never_asked_duplicate_therapy_and_a_dose_out_of_range_are_findings()
    {
        var encounter = await InConsult();
        (await Prescribe(encounter, 409, Amoxicillin())).Problem.Findings![0].Code.ShouldBe("allergies-unknown");
        var patient = await PatientOf(encounter);
        await Nurse.Post($"/api/patients/{patient}/allergies", new { noKnownAllergies = true }, 200);
        await Prescribe(encounter, 201, Amoxicillin());

        var duplicate = await Prescribe(encounter, 409, new { code = "AMOX-125S", dose = 250, frequency = "three-times-daily", durationDays = 5 });
        duplicate.Problem.Findings!.Select(f => f.Code).ShouldBe(["duplicate-therapy"]);

        var high = await Prescribe(encounter, 409, new { code = "IBU-400", dose = 1600, frequency = "three-times-daily", durationDays = 5 });
        high.Problem.Findings!.Select(f => f.Code).ShouldBe(["dose-out-of-range"]);

        var invalid = await Prescribe(encounter, 400, new { code = "NOPE", dose = 1, frequency = "three-times-daily", durationDays = 5 },
            new { code = "IBU-400", dose = 400, frequency = "three-times-daily", durationDays = 5, quantity = 40 });
        invalid.Problem.Errors!.ShouldContainKey("lines[0].code");
        invalid.Problem.Errors!.ShouldContainKey("lines[1].quantity");
    }

    [Fact]
    public async Task a_stopped_or_expired_prescription_is_no_longer_current_and_cannot_be_dispensed()
    {
        var (encounter, patient) = await Visit();
        var ids = Written(await Prescribe(encounter, 201, Amoxicillin(), new { code = "METF-500", dose = 500, frequency = "twice-daily", durationDays = 30 }))
            .Select(p => p.Id).ToArray();

        await Doctor.Post($"/api/prescriptions/{ids[0]}/status", new { status = "stopped" }, 400);
        var stopped = await Doctor.Post($"/api/prescriptions/{ids[0]}/status", new { status = "stopped", reason = "Rash on day 2" }, 200, ("If-Match", "\"1\""));
        stopped.As<Prescription>().Status.ShouldBe(PrescriptionStatus.Stopped);
        await Doctor.Post($"/api/prescriptions/{ids[0]}/status", new { status = "completed" }, 409);
        await Pharmacist.Post($"/api/prescriptions/{ids[0]}/dispense", new { quantity = 21, lot = "A1", lotExpiry = "2030-01-01" }, 409);

        var current = await Doctor.Get($"/api/patients/{patient}/medications", 200);
        Prescriptions(current).Items.Select(p => p.Line.Code).ShouldBe(["METF-500"]);
        try
        {
            AppFixture.Clock.Offset = TimeSpan.FromDays(31);
            Prescriptions(await Doctor.Get($"/api/patients/{patient}/medications", 200)).Total.ShouldBe(0);
            (await Pharmacist.Post($"/api/prescriptions/{ids[1]}/dispense", new { quantity = 60, lot = "M1", lotExpiry = "2035-01-01" }, 409)).Problem.Code
                .ShouldBe("medication.expired");
        }
        finally
        {
            AppFixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task a_pharmacist_dispenses_in_part_then_the_rest_and_never_more_than_prescribed()
    {
        var (encounter, patient) = await Visit();
        var id = Written(await Prescribe(encounter, 201, Amoxicillin()))[0].Id;
        Prescriptions(await Pharmacist.Get("/api/pharmacy/worklist", 200)).Items.Select(p => p.Id).ShouldContain(id);

        var partial = await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 14, lot = "AMX-2291", lotExpiry = "2030-06-30" }, 200);
        partial.As<Prescription>().Dispensed.ShouldBe(14m);
        partial.ETag.ShouldBe("\"2\"");
        (await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 8, lot = "AMX-2291", lotExpiry = "2030-06-30" }, 409)).Problem.Code
            .ShouldBe("medication.over_dispense");
        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 7, lot = "AMX-2291", lotExpiry = "2020-01-01" }, 400);
        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 7, lot = "AMX-2291", lotExpiry = "2030-06-30" }, 200);
        Prescriptions(await Pharmacist.Get("/api/pharmacy/worklist", 200)).Items.Select(p => p.Id).ShouldNotContain(id);
        await Doctor.Post($"/api/prescriptions/{id}/status", new { status = "cancelled", reason = "Changed mind" }, 409);
        (await Pharmacist.Get($"/api/patients/{patient}/allergies", 200)).As<AllergyList>().Asked.ShouldBe(AllergiesAsked.NoKnownAllergies);
    }

    [Fact]
    public async Task roles_and_facilities_bound_who_prescribes_dispenses_and_reads()
    {
        var (encounter, patient) = await Visit();
        await Nurse.Post($"/api/encounters/{encounter}/prescriptions", new { lines = new[] { Amoxicillin() } }, 403);
        var id = Written(await Prescribe(encounter, 201, Amoxicillin()))[0].Id;
        await Doctor.Post($"/api/prescriptions/{id}/dispense", new { quantity = 1, lot = "A", lotExpiry = "2030-01-01" }, 403);
        await Reception.Get($"/api/patients/{patient}/medications", 403);
        await Reception.Get($"/api/prescriptions/{id}", 403);
        await Nurse.Get($"/api/patients/{patient}/allergies", 200);

        var elsewhere = As("clinician", "dr-kofi", "clinic-2");
        await elsewhere.Get($"/api/prescriptions/{id}", 404);
        await elsewhere.Post($"/api/encounters/{encounter}/prescriptions", new { lines = new[] { Amoxicillin() } }, 404);
        await As("pharmacist", "phil", "clinic-2").Post($"/api/prescriptions/{id}/dispense", new { quantity = 1, lot = "A", lotExpiry = "2030-01-01" }, 404);

        await Doctor.Post($"/api/encounters/{encounter}/step-out", new { reason = "X-ray" }, 200);
        (await Prescribe(encounter, 409, Amoxicillin())).Problem.Code.ShouldBe("medication.encounter_not_in_progress");
    }
}
