using Encounters.Patients;
using Shouldly;

namespace Encounters.Tests;

/// <summary>The patient record: demographics with history, allergies (and "no known allergies"), the problem list.</summary>
public class PatientRecordTests(AppFixture app) : ClinicTest(app)
{
    private static AllergyList Allergies(Response answer) => answer.As<AllergyList>();

    private static ProblemList Problems(Response answer) => answer.As<ProblemList>();

    [Fact]
    public async Task a_corrected_name_is_an_event_with_a_reason_and_the_old_values_stay_readable()
    {
        var patient = await TestData.RegisterPatient(Reception, "Amina Okafr");
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await Reception.Post($"/api/patients/{patient}/demographics", new { fullName = "Amina Okafor", reason = "Typo" }, 412, ("If-Match", "\"7\""));
        await Reception.Post($"/api/patients/{patient}/demographics", new { reason = "Nothing" }, 400);
        var updated = await Reception.Post($"/api/patients/{patient}/demographics",
            new { fullName = "Amina Okafor", nationalId = "NIN-12345678", address = "12 Marina Rd, Lagos",
                emergencyContact = new { name = "Tunde Okafor", relationship = "brother", phone = "+234 802 555 0199" }, reason = "Name misspelt at registration" },
            200, ("If-Match", "\"1\""));
        updated.As<PatientResponse>().FullName.ShouldBe("Amina Okafor");
        updated.ETag.ShouldBe("\"2\"");

        (await Reception.Get($"/api/patients/{patient}", 200)).As<PatientResponse>().NationalId.ShouldBe("NIN-12345678");
        (await Reception.Get($"/api/patients/{patient}?version=1", 200)).As<PatientResponse>().FullName.ShouldBe("Amina Okafr");
        (await Reception.Get($"/api/patients/{patient}?asOf={Uri.EscapeDataString(before.ToString("O"))}", 200)).As<PatientResponse>().FullName
            .ShouldBe("Amina Okafr");

        foreach (var q in new[] { "NIN-12345678", "2348015550101", "+234 801 555 0101" })
            (await Reception.Get($"/api/patients?q={Uri.EscapeDataString(q)}", 200)).As<Page<PatientResponse>>().Items.Count.ShouldBe(1, q);
        await Nurse.Post($"/api/patients/{patient}/demographics", new { phone = "+234 803 000 0000", reason = "New phone" }, 403);
        await As("receptionist", "rita", "clinic-2").Post($"/api/patients/{patient}/demographics", new { phone = "+234 803 000 0000", reason = "x" }, 404);
    }

    [Fact]
    public async Task allergies_never_asked_differ_from_no_known_allergies_and_receptionists_cannot_read_them()
    {
        var patient = await TestData.RegisterPatient(Reception);
        Allergies(await Nurse.Get($"/api/patients/{patient}/allergies", 200)).Asked.ShouldBe(AllergiesAsked.Unknown);
        Allergies(await Nurse.Post($"/api/patients/{patient}/allergies", new { noKnownAllergies = true }, 200)).Asked.ShouldBe(AllergiesAsked.NoKnownAllergies);

        var recorded = await Nurse.Post($"/api/patients/{patient}/allergies",
            new { substance = new { code = "penicillins", text = "Penicillin" }, reaction = "hives", severity = "moderate", criticality = "high" }, 200);
        Allergies(recorded).Asked.ShouldBe(AllergiesAsked.Recorded);
        var allergy = Allergies(recorded).Allergies[0];
        allergy.Status.ShouldBe(AllergyStatus.Active);
        allergy.RecordedByName.ShouldBe("Test nurse");
        await Nurse.Post($"/api/patients/{patient}/allergies", new { noKnownAllergies = true }, 409);

        await Reception.Get($"/api/patients/{patient}/allergies", 403);
        await Reception.Post($"/api/patients/{patient}/allergies", new { noKnownAllergies = true }, 403);
        await As("nurse", "nina", "clinic-2").Get($"/api/patients/{patient}/allergies", 404);

        var resolved = await Doctor.Post($"/api/patients/{patient}/allergies",
            new { allergyId = allergy.Id, status = "entered-in-error", reason = "Wrong patient" }, 200);
        Allergies(resolved).Allergies[0].Status.ShouldBe(AllergyStatus.EnteredInError);
    }

    [Fact]
    public async Task problems_are_recorded_and_a_visits_diagnoses_are_promoted_in_one_call()
    {
        var encounter = await InConsult();
        var patient = await PatientOf(encounter);
        await Doctor.Post($"/api/patients/{patient}/problems", new { code = "I10", display = "Essential hypertension", onset = "2020-01-01" }, 200);
        await Doctor.Post($"/api/patients/{patient}/problems", new { code = "hypertension", display = "x" }, 400);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new
        {
            text = "Diabetes, hypertension.",
            diagnoses = new[] { new { code = "E11.9", display = "Type 2 diabetes mellitus" }, new { code = "I10", display = "Essential hypertension" } },
        }, 200);

        var promoted = await Doctor.Post($"/api/patients/{patient}/problems", new { promoteFromEncounterId = encounter }, 200);
        var problems = Problems(promoted).Problems;
        problems.Select(p => p.Code).ShouldBe(["I10", "E11.9"]);
        problems[1].EncounterId.ShouldBe(encounter);
        await Doctor.Post($"/api/patients/{patient}/problems", new { promoteFromEncounterId = encounter }, 409);

        Problems(await Doctor.Get($"/api/patients/{patient}/problems", 200)).Problems.Count.ShouldBe(2);
        var resolved = await Doctor.Post($"/api/patients/{patient}/problems",
            new { conditionId = problems[0].Id, status = "resolved", reason = "Normotensive off treatment for a year" }, 200);
        Problems(resolved).Problems[0].Status.ShouldBe(ConditionStatus.Resolved);
        await Reception.Get($"/api/patients/{patient}/problems", 403);
        await Nurse.Post($"/api/patients/{patient}/problems", new { code = "I10", display = "Essential hypertension" }, 403);
    }
}
