using Encounters.Encounters;
using Shouldly;

namespace Encounters.Tests;

public partial class VisitTests
{
    [Fact]
    public async Task vitals_are_validated_per_field_and_nothing_is_written()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        var refused = await Nurse.Post($"/api/encounters/{encounter}/vitals", new
        {
            systolicBp = 80, diastolicBp = 90, pulse = 300, temperatureC = 46.5, respiratoryRate = 0, spO2 = 101,
            weightKg = -3, heightCm = 900, painScore = 11,
        }, 400);
        var errors = refused.Problem.Errors!;
        foreach (var field in new[] { "systolicBp", "pulse", "temperatureC", "respiratoryRate", "spO2", "weightKg", "heightCm", "painScore" })
            errors.ContainsKey(field).ShouldBeTrue($"expected an error for {field}");
        (await Nurse.Post($"/api/encounters/{encounter}/vitals", new { }, 400)).Problem.Errors!.ShouldContainKey("vitals");
        (await Nurse.Post($"/api/encounters/{encounter}/vitals", new { systolicBp = 120 }, 400)).Problem.Errors!.ShouldContainKey("diastolicBp");
        (await EventCount(encounter)).ShouldBe(2);
    }

    [Fact]
    public async Task abnormal_vitals_are_flagged_not_refused_and_can_be_recorded_again()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { systolicBp = 165, diastolicBp = 102, temperatureC = 39.2, spO2 = 91 }, 200);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { systolicBp = 150, diastolicBp = 95 }, 200);

        var vitals = (await Nurse.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().Vitals;
        vitals.Count.ShouldBe(2);
        var flags = vitals[0].AbnormalFlags;
        flags.ShouldBe(["blood-pressure-high", "temperature-high", "spo2-low"], ignoreOrder: true);
    }

    [Fact]
    public async Task documentation_rejects_bad_codes_past_follow_ups_and_unknown_sections()
    {
        var encounter = await InConsult(NormalVitals);
        var refused = await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment",
            new { text = "x", diagnoses = new[] { new { code = "flu", display = "" } } }, 400);
        refused.Problem.Errors!.ShouldContainKey("diagnoses[0].code");
        refused.Problem.Errors!.ShouldContainKey("diagnoses[0].display");

        (await Doctor.Post($"/api/encounters/{encounter}/documentation/plan",
            new { text = "x", followUpDate = DateTime.UtcNow.ToString("yyyy-MM-dd") }, 400)).Problem.Errors!.ShouldContainKey("followUpDate");
        (await Doctor.Post($"/api/encounters/{encounter}/documentation/history", new { text = "x" }, 400)).Problem.Errors!.ShouldContainKey("section");
        (await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "" }, 400)).Problem.Errors!.ShouldContainKey("text");
        (await EventCount(encounter)).ShouldBe(4);
    }

    [Fact]
    public async Task amendments_need_a_reason_and_every_version_stays_readable()
    {
        var encounter = await InConsult(NormalVitals);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "Cough." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "Cough and fever." }, 400);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective",
            new { text = "Cough and fever since Monday.", reason = "Patient remembered the fever" }, 200);

        var versions = (await Doctor.Get($"/api/encounters/{encounter}/documentation/subjective/versions", 200)).As<NoteVersion[]>();
        versions.Length.ShouldBe(2);
        versions[0].Content.Text.ShouldBe("Cough.");
        versions[1].Version.ShouldBe(2);
        versions[1].Reason.ShouldBe("Patient remembered the fever");
        versions[1].Author.UserId.ShouldBe("dr-kofi");

        var section = (await Doctor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().Documentation["subjective"];
        section.VersionCount.ShouldBe(2);
        section.Latest.Content.Text.ShouldBe("Cough and fever since Monday.");
    }

    [Fact]
    public async Task after_close_documentation_is_locked_to_the_closing_clinician_and_admins()
    {
        var encounter = await InConsult(NormalVitals);
        await Document(encounter);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);

        var locked = await OtherDoctor.Post($"/api/encounters/{encounter}/documentation/plan",
            new { text = "Changed plan", reason = "late review" }, 403);
        locked.Problem.Code.ShouldBe("encounter.documentation_locked");
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Changed plan" }, 400);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Add antihistamine.", reason = "Lab result" }, 200);
        await Admin.Post($"/api/encounters/{encounter}/documentation/assessment",
            new { text = "Allergic rhinitis.", diagnoses = new[] { new { code = "J30.4", display = "Allergic rhinitis, unspecified" } }, reason = "Coding review" }, 200);

        var view = (await Doctor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>();
        view.Status.ShouldBe(EncounterStatus.Finished);
        view.Documentation["plan"].PostCloseAmendments.ShouldBe(1);
        view.Documentation["assessment"].Latest.AfterClose.ShouldBeTrue();
        view.Diagnoses[0].Code.ShouldBe("J30.4");
    }

    [Theory]
    [InlineData("vitals-recorded")]
    [InlineData("assessment-documented")]
    [InlineData("plan-documented")]
    public async Task each_close_gate_rule_alone_refuses_the_close(string rule)
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        if (rule != "vitals-recorded") await Nurse.Post($"/api/encounters/{encounter}/vitals", NormalVitals, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        if (rule != "assessment-documented")
            await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Well." }, 200);
        if (rule != "plan-documented")
            await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Home." }, 200);
        var before = await EventCount(encounter);

        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409);
        refused.Problem.Code.ShouldBe("encounter.close_gate");
        refused.Problem.UnmetRules!.Select(r => r.Rule).ShouldBe([rule]);
        (await EventCount(encounter)).ShouldBe(before);
    }

    [Fact]
    public async Task the_close_gate_lists_every_unmet_rule_and_is_configurable_per_facility()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);

        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409);
        refused.Problem.UnmetRules!.Select(r => r.Rule).ShouldBe(["vitals-recorded", "assessment-documented", "plan-documented"]);

        await Doctor.Post("/api/admin/close-gate", new { rules = new[] { "plan-documented" } }, 405);
        await Admin.Put("/api/admin/close-gate", new { rules = new[] { "plan-documented" }, reason = "Walk-in clinic: plan only" }, 200);
        (await Doctor.Get("/api/admin/close-gate", 200)).As<CloseGatePolicy>().Rules.Length.ShouldBe(1);

        refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409);
        refused.Problem.UnmetRules!.Select(r => r.Rule).ShouldBe(["plan-documented"]);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Home." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);

        // Another facility keeps the default.
        var elsewhere = As("clinician", "dr-kofi", "clinic-2");
        (await elsewhere.Get("/api/admin/close-gate", 200)).As<CloseGatePolicy>().Rules.Length.ShouldBe(5);
    }

    [Fact]
    public async Task close_needs_a_disposition()
    {
        var encounter = await InConsult(NormalVitals);
        await Document(encounter);
        (await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "vanished" }, 400)).Problem.Errors!.ShouldContainKey("disposition");
        (await Doctor.Post($"/api/encounters/{encounter}/close", new { }, 400)).Problem.Errors!.ShouldContainKey("disposition");
    }

    [Fact]
    public async Task roles_are_enforced_on_the_visit()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Reception.Post($"/api/encounters/{encounter}/vitals", NormalVitals, 403);
        await Nurse.Post($"/api/encounters/{encounter}/start-consult", null, 403);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", NormalVitals, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        await Nurse.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "x" }, 403);
        await Admin.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "x" }, 403);
        var lab = Tech;
        await lab.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 403);
        var auditor = Auditor;
        await auditor.Post($"/api/encounters/{encounter}/cancel", new { reason = "x" }, 403);
        await auditor.Get($"/api/encounters/{encounter}", 200);
        (await EventCount(encounter)).ShouldBe(4);
    }

    [Fact]
    public async Task the_queue_filters_by_status_patient_and_clinician_in_check_in_order()
    {
        var first = await TestData.PlanEncounter(Reception);
        var second = await TestData.PlanEncounter(Reception);
        var waiting = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{second}/check-in", null, 200);
        await Reception.Post($"/api/encounters/{first}/check-in", null, 200);
        await Nurse.Post($"/api/encounters/{first}/vitals", NormalVitals, 200);
        await Doctor.Post($"/api/encounters/{first}/start-consult", null, 200);

        static Page<EncounterSummary> Queue(Response list) => list.As<Page<EncounterSummary>>();
        var all = Queue(await Reception.Get("/api/encounters", 200)).Items.Select(i => i.Id).ToList();
        all.ShouldBe([second, first, waiting]);
        Queue(await Reception.Get("/api/encounters?status=arrived", 200)).Items.Single().Id.ShouldBe(second);
        Queue(await Reception.Get("/api/encounters?clinicianId=dr-kofi", 200)).Items.Single().Id.ShouldBe(first);
        (await Reception.Get("/api/encounters?status=bogus&date=yesterday", 400)).Problem.Errors!.Count.ShouldBe(2);
        Queue(await Reception.Get("/api/encounters?date=1999-01-01", 200)).Total.ShouldBe(0);
    }
}
