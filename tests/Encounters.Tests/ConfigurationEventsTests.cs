using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Security;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Configuration changes are facts: who and why, in the audit trail, and readable as of any time.</summary>
[Collection(ApiCollection.Name)]
public class ConfigurationEventsTests(AppFixture app) : ClinicTest(app)
{
    private Task<Response> ConfigureCloseGate(object body, int expect) => Put("/api/admin/close-gate", body, expect);

    private Task<Response> Put(string url, object body, int expect) => Admin.Put(url, body, expect);

    /// <summary>The tenant's audit entries of one action, as a compliance auditor reads them.</summary>
    private async Task<IReadOnlyList<AuditEntry>> Audit(string action) =>
        (await As("tenant_auditor", "comp-1").Get($"/api/audit?action={action}", 200)).As<Page<AuditEntry>>().Items;

    [Fact]
    public async Task switching_off_a_close_gate_rule_needs_a_reason_is_audited_and_the_earlier_policy_stays_readable()
    {
        var before = DateTimeOffset.UtcNow;
        (await ConfigureCloseGate(new { rules = new[] { "plan-documented" } }, 400)).Problem.Errors!.ShouldContainKey("reason");
        await Task.Delay(50);
        var changedAt = DateTimeOffset.UtcNow;
        await ConfigureCloseGate(new { rules = new[] { "plan-documented" }, reason = "Pilot of the walk-in pathway" }, 200);

        (await Doctor.Get("/api/admin/close-gate", 200)).As<CloseGatePolicy>().Rules.Length.ShouldBe(1);
        var asOf = Uri.EscapeDataString(before.ToString("O"));
        (await Doctor.Get($"/api/admin/close-gate?asOf={asOf}", 200)).As<CloseGatePolicy>().Rules.Length.ShouldBe(5);
        (await Doctor.Get($"/api/admin/close-gate?asOf={Uri.EscapeDataString(changedAt.AddSeconds(5).ToString("O"))}", 200))
            .As<CloseGatePolicy>().Rules.Length.ShouldBe(1);

        await AuditTrailHolds(1);
        var entry = (await Audit("close_gate_rules_changed"))[0];
        entry.UserId.ShouldBe("admin-1");
        entry.FacilityId.ShouldBe("clinic-1");
    }

    [Fact]
    public async Task catalog_changes_are_events_with_who_and_why_and_a_facility_admin_cannot_change_the_tenants_catalog()
    {
        await As("facility_admin", "admin-2", "clinic-2").Post("/api/lab/catalog/TSH/retire", new { reason = "Not here" }, 403);
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", new { reason = "Sent out to the reference lab" }, 200);
        var tsh = (await Doctor.Get("/api/lab/catalog?pageSize=100", 200)).As<Page<LabTest>>().Items.Single(t => t.Id == "TSH");
        tsh.Retired.ShouldBeTrue();

        await AuditTrailHolds(1);
        (await Audit("lab_test_retired"))[0].UserId.ShouldBe("tenant-admin-1");
    }

    [Fact]
    public async Task a_lab_of_technicians_only_verifies_with_two_different_technicians_once_the_rule_is_on()
    {
        var (order, items) = await LabOrder(await InConsult(), "K");
        await Received(order, items);
        await EnterResult(items[0], "2823-3", 4.1m);
        var colleague = As("lab_technician", "tech-tia");
        await colleague.PostReviewed($"/api/lab/results/{items[0]}", "verify", 403);

        (await Put("/api/admin/staffing-rules", new { rules = new[] { "technicians-verify" } }, 400)).Problem.Errors!.ShouldContainKey("reason");
        await Put("/api/admin/staffing-rules", new { rules = new[] { "technicians-verify" }, reason = "No supervisor on site" }, 200);
        (await Tech.PostReviewed($"/api/lab/results/{items[0]}", "verify", 409)).Problem.Code.ShouldBe("lab.self_verification");
        var verified = await colleague.PostReviewed($"/api/lab/results/{items[0]}", "verify", 200);
        verified.As<LabResultResponse>().Stage.ShouldBe(ResultStage.Verified);
        await Tech.PostReviewed($"/api/lab/results/{items[0]}", "release", 200);

        // Another facility keeps the default.
        (await Doctor.Get("/api/admin/staffing-rules", 200)).As<StaffingRules>().Rules.Length.ShouldBe(1);
        (await As("clinician", "dr-kofi", "clinic-2").Get("/api/admin/staffing-rules", 200)).As<StaffingRules>().Rules.Length.ShouldBe(0);
    }

    [Fact]
    public async Task a_clinician_checks_a_walk_in_in_once_the_rule_is_on_and_every_rule_change_is_audited()
    {
        var walkIn = (await Doctor.Post("/api/encounters", new { patientId = await TestData.RegisterPatient(Doctor), reason = "Walk-in" }, 201)).Id;
        await Doctor.Post($"/api/encounters/{walkIn}/check-in", null, 403);
        await Put("/api/admin/staffing-rules", new { rules = new[] { "clinicians-check-in" }, reason = "Single-doctor clinic" }, 200);
        (await Doctor.Post($"/api/encounters/{walkIn}/check-in", null, 200)).As<EncounterResponse>().Status.ShouldBe(EncounterStatus.Arrived);
        await Put("/api/admin/staffing-rules", new { rules = Array.Empty<string>(), reason = "Receptionist hired" }, 200);
        var second = (await Doctor.Post("/api/encounters", new { patientId = await TestData.RegisterPatient(Doctor), reason = "Walk-in" }, 201)).Id;
        await Doctor.Post($"/api/encounters/{second}/check-in", null, 403);

        // Two patients registered and two visits planned, two rule changes, one check-in: 7 (the old poll waited for 8, which
        // never came, and gave up silently after 15 s).
        await AuditTrailHolds(7);
        var changes = await Audit("staffing_rules_changed");
        changes.Count.ShouldBe(2);
        changes.ShouldAllBe(c => c.UserId == "admin-1");
        (await Audit("patient_checked_in"))[0].Role.ShouldBe("clinician");
    }
}
