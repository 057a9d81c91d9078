using Encounters.Audit;
using Encounters.Medications;
using Encounters.Tasks;
using Encounters.Timeline;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Drafts and signing, the pharmacy's tasks, and formulary edits.</summary>
public class PrescriptionLifecycleTests(AppFixture app) : PrescribingTest(app)
{
    [Fact]
    public async Task a_draft_holds_the_close_until_signed_and_signing_checks_the_patient_again()
    {
        // "prescriptions signed" is an optional rule: this facility turns it on.
        await Admin.Put("/api/admin/close-gate",
            new { rules = new[] { "plan-documented", "prescriptions-signed" }, reason = "Prescriptions are signed before the patient leaves" }, 200);
        var (encounter, patient) = await Visit();
        var draft = Written(await Doctor.Post($"/api/encounters/{encounter}/prescriptions", new { lines = new[] { Amoxicillin() }, draft = true }, 201));
        draft.Status.ShouldBe(PrescriptionStatus.Draft);
        var id = draft.Id;
        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 21, lot = "A1", lotExpiry = "2030-01-01" }, 409);
        (await Doctor.Get($"/api/patients/{patient}/medications", 200)).As<Page<Prescription>>().Total.ShouldBe(0);

        static IEnumerable<string> Unmet(Response r) => r.Problem.UnmetRules!.Select(u => u.Rule);
        Unmet(await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409)).ShouldContain("prescriptions-signed");

        await Nurse.Post($"/api/patients/{patient}/allergies", new { substance = new { text = "Penicillin" }, reaction = "rash" }, 200);
        (await Doctor.Post($"/api/prescriptions/{id}/sign", new { }, 409)).Problem.Findings![0].Code.ShouldBe("allergy");
        await Nurse.Post($"/api/prescriptions/{id}/sign", new { }, 403);
        var signed = await Doctor.Post($"/api/prescriptions/{id}/sign",
            new { overrides = new[] { new { code = "allergy", reason = "Mild rash decades ago; benefit outweighs risk" } } }, 200, ("If-Match", "\"1\""));
        signed.As<Prescription>().Status.ShouldBe(PrescriptionStatus.Active);
        signed.As<Prescription>().Overrides.Length.ShouldBe(1);
        await Doctor.Post($"/api/prescriptions/{id}/sign", new { }, 409);
        Unmet(await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409)).ShouldNotContain("prescriptions-signed");

        var withdrawn = Written(await Doctor.Post($"/api/encounters/{encounter}/prescriptions",
            new { lines = new[] { new { code = "PARA-500", dose = 1000, frequency = "four-times-daily", durationDays = 3 } }, draft = true }, 201)).Id;
        await Doctor.Post($"/api/prescriptions/{withdrawn}/status", new { status = "cancelled", reason = "Not needed after all" }, 200);
        Unmet(await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409)).ShouldNotContain("prescriptions-signed");
    }

    [Fact]
    public async Task an_active_prescription_opens_a_pharmacy_task_that_closes_when_all_is_dispensed()
    {
        var (encounter, _) = await Visit();
        var id = Written(await Prescribe(encounter, 201, Amoxicillin())).Id;
        await CaughtUp();
        var task = (await DispenseTasks("open")).Single().Task;
        task.Title.ShouldBe("Dispense Amoxicillin 500 mg: 21 capsule");
        task.Role.ShouldBe("pharmacist");
        task.PrescriptionId.ShouldBe(id);
        await Pharmacist.Post($"/api/tasks/{task.Id}/claim", null, 200);

        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 20, lot = "L1", lotExpiry = "2030-01-01" }, 200);
        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 1, lot = "L1", lotExpiry = "2030-01-01" }, 200);
        await CaughtUp();
        (await DispenseTasks("completed")).Count.ShouldBe(1);
        (await DispenseTasks("open")).Count.ShouldBe(0);
    }

    /// <summary>The first (only) prescription a prescribing answer wrote.</summary>
    private static Prescription Written(Response created) => created.As<PrescriptionGroup>().Prescriptions[0];

    private async Task<List<TaskView>> DispenseTasks(string status) =>
        (await Pharmacist.Get($"/api/tasks?role=pharmacist&status={status}", 200)).As<Page<TaskView>>().Items
            .Where(t => t.Task.Kind == "dispense-medication").ToList();

    [Fact]
    public async Task a_formulary_edit_is_an_event_and_a_retired_medicine_cannot_be_prescribed()
    {
        var admin = As("facility_admin", "admin-1");
        var entry = new
        {
            code = "AMOX-500", name = "Amoxicillin", atc = "J01CA04", form = "capsule", strength = "500 mg", amountPerUnit = 500,
            amountUnit = "mg", dispenseUnit = "capsule", minDose = 250, maxDose = 1000, allergyClass = "penicillins", retired = true,
            reason = "Out of stock nationally; use AMOX-125S",
        };
        await Doctor.Post("/api/medications/formulary", entry, 403);
        await admin.Post("/api/medications/formulary", entry, 412, ("If-Match", "\"0\""));
        (await admin.Post("/api/medications/formulary", entry, 200, ("If-Match", "\"1\""))).ETag.ShouldBe("\"2\"");
        (await Doctor.Get("/api/medications/formulary?pageSize=500", 200)).As<Page<Medicine>>().Items
            .Single(m => m.Id == "AMOX-500").Retired.ShouldBeTrue();

        var (encounter, _) = await Visit();
        (await Prescribe(encounter, 400, Amoxicillin())).Problem.Errors!.ShouldContainKey("lines[0].code");
        await CaughtUp();
        var audit = await Auditor.Get("/api/audit?action=formulary_entry_changed", 200);
        var entries = audit.As<Page<AuditEntry>>().Items;
        entries.Count.ShouldBe(1);
        entries[0].UserId.ShouldBe("admin-1");
    }

    [Fact]
    public async Task an_amendment_is_a_new_version_checked_again_and_the_first_stays_readable()
    {
        var (encounter, _) = await Visit();
        var id = Written(await Prescribe(encounter, 201, Amoxicillin())).Id;
        (await Doctor.Post($"/api/prescriptions/{id}/amend", new { dose = 2000, reason = "Severe infection" }, 409))
            .Problem.Findings![0].Code.ShouldBe("dose-out-of-range");
        await Doctor.Post($"/api/prescriptions/{id}/amend", new { durationDays = 10 }, 400);

        var amended = await Doctor.Post($"/api/prescriptions/{id}/amend", new { durationDays = 10, reason = "Slow response" }, 200, ("If-Match", "\"1\""));
        amended.As<Prescription>().LineVersion.ShouldBe(2);
        amended.As<Prescription>().Line.Quantity.ShouldBe(30m);
        (await Doctor.Get($"/api/prescriptions/{id}?version=1", 200)).As<Prescription>().Line.DurationDays.ShouldBe(7);

        await Pharmacist.Post($"/api/prescriptions/{id}/dispense", new { quantity = 30, lot = "L1", lotExpiry = "2030-01-01" }, 200);
        (await Doctor.Post($"/api/prescriptions/{id}/amend", new { durationDays = 5, reason = "Better" }, 409)).Problem.Code.ShouldBe("medication.below_dispensed");
        await Nurse.Post($"/api/prescriptions/{id}/amend", new { durationDays = 12, reason = "x" }, 403);
        await CaughtUp();
        var timeline = (await Doctor.Get($"/api/encounters/{encounter}/timeline?kind=medication.amended", 200)).As<Page<TimelineEntry>>().Items;
        timeline.Count.ShouldBe(1);
        timeline[0].Summary.ShouldEndWith("Slow response");
    }
}
