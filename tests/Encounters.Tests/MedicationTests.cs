using Shouldly;

namespace Encounters.Tests;

/// <summary>Prescribing with safety checks and overrides, the prescription lifecycle, and dispensing.</summary>
public class MedicationTests(AppFixture app) : PrescribingTest(app)
{
    [Fact]
    public async Task a_prescription_that_passes_is_active_valid_30_days_and_listed_for_the_visit_and_the_patient()
    {
        var (encounter, patient) = await Visit();
        var created = await Prescribe(encounter, 201, Amoxicillin(), new { code = "PARA-500", dose = 1000, frequency = "four-times-daily", durationDays = 3 });
        var lines = created.Json["prescriptions"]!.AsArray();
        lines.Count.ShouldBe(2);
        lines[0]!["status"]!.ToString().ShouldBe("active");
        lines[1]!["line"]!["quantity"]!.GetValue<decimal>().ShouldBe(24m);
        (DateTimeOffset.Parse(lines[0]!["validUntil"]!.ToString()) - DateTimeOffset.Parse(lines[0]!["prescribedAt"]!.ToString())).ShouldBe(TimeSpan.FromDays(30));

        (await Doctor.Get($"/api/encounters/{encounter}/prescriptions", 200)).Json["items"]!.AsArray().Count.ShouldBe(2);
        (await Doctor.Get($"/api/patients/{patient}/medications", 200)).Json["total"]!.GetValue<long>().ShouldBe(2);
        await CaughtUp();
        var timeline = await Doctor.Get($"/api/encounters/{encounter}/timeline?kind=medication", 200);
        timeline.Json["items"]!.AsArray().Count.ShouldBe(2);
        timeline.Json["items"]![0]!["summary"]!.ToString().ShouldStartWith("Prescribed Amoxicillin 500 mg");
    }

    [Fact]
    public async Task an_allergy_conflict_is_refused_then_accepted_with_an_override_reason_shown_on_the_timeline_and_in_the_audit()
    {
        var (encounter, patient) = await Visit(new { substance = new { text = "Penicillin" }, reaction = "rash", severity = "mild" });
        var refused = await Prescribe(encounter, 409, Amoxicillin());
        refused["code"].ShouldBe("medication.safety_check");
        refused.Json["findings"]!.AsArray().Select(f => f!["code"]!.ToString()).ShouldBe(["allergy"]);
        (await Doctor.Get($"/api/encounters/{encounter}/prescriptions", 200)).Json["total"]!.GetValue<long>().ShouldBe(0);

        var accepted = await Prescribe(encounter, 201, Amoxicillin([new { code = "allergy", reason = "Rash only as a child; tolerated amoxicillin in 2022" }]));
        var overrides = accepted.Json["prescriptions"]![0]!["overrides"]!.AsArray();
        overrides.Single()!["reason"]!.ToString().ShouldStartWith("Rash only as a child");

        await CaughtUp();
        var timeline = await Doctor.Get($"/api/encounters/{encounter}/timeline?kind=medication.prescribed", 200);
        timeline.Json["items"]!.AsArray().Count.ShouldBe(1);
        timeline.Json["items"]![0]!["summary"]!.ToString().ShouldContain("OVERRIDE allergy: Rash only as a child");
        var audit = await Auditor.Get($"/api/audit?patientId={patient}&action=medication_requested", 200);
        audit.Json["items"]!.AsArray().Count.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task allergies_never_asked_duplicate_therapy_and_a_dose_out_of_range_are_findings()
    {
        var encounter = await InConsult();
        (await Prescribe(encounter, 409, Amoxicillin())).Json["findings"]![0]!["code"]!.ToString().ShouldBe("allergies-unknown");
        var patient = (await Doctor.Get($"/api/encounters/{encounter}", 200))["patientId"];
        await Nurse.Post($"/api/patients/{patient}/allergies", new { noKnownAllergies = true }, 200);
        await Prescribe(encounter, 201, Amoxicillin());

        var duplicate = await Prescribe(encounter, 409, new { code = "AMOX-125S", dose = 250, frequency = "three-times-daily", durationDays = 5 });
        duplicate.Json["findings"]!.AsArray().Select(f => f!["code"]!.ToString()).ShouldBe(["duplicate-therapy"]);

        var high = await Prescribe(encounter, 409, new { code = "IBU-400", dose = 1600, frequency = "three-times-daily", durationDays = 5 });
        high.Json["findings"]!.AsArray().Select(f => f!["code"]!.ToString()).ShouldBe(["dose-out-of-range"]);

        var invalid = await Prescribe(encounter, 400, new { code = "NOPE", dose = 1, frequency = "three-times-daily", durationDays = 5 },
            new { code = "IBU-400", dose = 400, frequency = "three-times-daily", durationDays = 5, quantity = 40 });
        invalid.Problem.Errors!.ShouldContainKey("lines[0].code");
        invalid.Problem.Errors!.ShouldContainKey("lines[1].quantity");
    }

    [Fact]
    public async Task a_stopped_or_expired_prescription_is_no_longer_current_and_cannot_be_dispensed()
    {
        var (encounter, patient) = await Visit();
        var ids = (await Prescribe(encounter, 201, Amoxicillin(), new { code = "METF-500", dose = 500, frequency = "twice-daily", durationDays = 30 }))
            .Json["prescriptions"]!.AsArray().Select(p => p!["id"]!.ToString()).ToArray();

        await Doctor.Post($"/api/prescriptions/{ids[0]}/status", new { status = "stopped" }, 400);
        var stopped = await Doctor.Post($"/api/prescriptions/{ids[0]}/status", new { status = "stopped", reason = "Rash on day 2" }, 200, ("If-Match", "\"1\""));
        stopped["status"].ShouldBe("stopped");
        await Doctor.Post($"/api/prescriptions/{ids[0]}/status", new { status = "completed" }, 409);
        await Pharmacist.Post($"/api/prescriptions/{ids[0]}/dispense", new { quantity = 21, lot = "A1", lotExpiry = "2030-01-01" }, 409);

        var current = await Doctor.Get($"/api/patients/{patient}/medications", 200);
        current.Json["items"]!.AsArray().Select(p => p!["line"]!["code"]!.ToString()).ShouldBe(["METF-500"]);
        try
        {
            AppFixture.Clock.Offset = TimeSpan.FromDays(31);
            (await Doctor.Get($"/api/patients/{patient}/medications", 200)).Json["total"]!.GetValue<long>().ShouldBe(0);
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
        var id = (await Prescribe(encounter, 201, Amoxicillin())).Json["prescriptions"]![0]!["id"]!.ToString();
        (await Pharmacist.Get("/api/pharmacy/worklist", 200)).Json["items"]!.AsArray().Select(p => p!["id"]!.ToString()).ShouldContain(id);

        var partial = await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 14, lot = "AMX-2291", lotExpiry = "2030-06-30" }, 200);
        partial["dispensed"].ShouldBe("14");
        partial.ETag.ShouldBe("\"2\"");
        (await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 8, lot = "AMX-2291", lotExpiry = "2030-06-30" }, 409)).Problem.Code
            .ShouldBe("medication.over_dispense");
        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 7, lot = "AMX-2291", lotExpiry = "2020-01-01" }, 400);
        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 7, lot = "AMX-2291", lotExpiry = "2030-06-30" }, 200);
        (await Pharmacist.Get("/api/pharmacy/worklist", 200)).Json["items"]!.AsArray().Select(p => p!["id"]!.ToString()).ShouldNotContain(id);
        await Doctor.Post($"/api/prescriptions/{id}/status", new { status = "cancelled", reason = "Changed mind" }, 409);
        (await Pharmacist.Get($"/api/patients/{patient}/allergies", 200))["asked"].ShouldBe("no-known-allergies");
    }

    [Fact]
    public async Task roles_and_facilities_bound_who_prescribes_dispenses_and_reads()
    {
        var (encounter, patient) = await Visit();
        await Nurse.Post($"/api/encounters/{encounter}/prescriptions", new { lines = new[] { Amoxicillin() } }, 403);
        var id = (await Prescribe(encounter, 201, Amoxicillin())).Json["prescriptions"]![0]!["id"]!.ToString();
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
