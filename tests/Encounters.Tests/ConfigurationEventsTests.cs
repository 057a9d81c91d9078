using Shouldly;

namespace Encounters.Tests;

/// <summary>Configuration changes are facts: who and why, in the audit trail, and readable as of any time.</summary>
[Collection(ApiCollection.Name)]
public class ConfigurationEventsTests(AppFixture app) : ClinicTest(app)
{
    private Task<Response> ConfigureCloseGate(object body, int expect) => Send(Admin, body, expect);

    private async Task<Response> Send(Caller who, object body, int expect)
    {
        var result = await App.Host.Scenario(s =>
        {
            s.Put.Json(body).ToUrl("/api/admin/close-gate");
            s.WithRequestHeader("X-Tenant-ID", Tenant);
            s.WithRequestHeader("X-Facility-ID", who.Facility);
            s.WithBearerToken(Caller.Token("admin-1", "facility_admin", Tenant, [who.Facility]));
            s.StatusCodeShouldBe(expect);
        });
        return new Response(result);
    }

    [Fact]
    public async Task switching_off_a_close_gate_rule_needs_a_reason_is_audited_and_the_earlier_policy_stays_readable()
    {
        var before = DateTimeOffset.UtcNow;
        (await ConfigureCloseGate(new { rules = new[] { "plan-documented" } }, 400)).Json["errors"]!["reason"].ShouldNotBeNull();
        await Task.Delay(50);
        var changedAt = DateTimeOffset.UtcNow;
        await ConfigureCloseGate(new { rules = new[] { "plan-documented" }, reason = "Pilot of the walk-in pathway" }, 200);

        (await Doctor.Get("/api/admin/close-gate", 200)).Json["rules"]!.AsArray().Count.ShouldBe(1);
        var asOf = Uri.EscapeDataString(before.ToString("O"));
        (await Doctor.Get($"/api/admin/close-gate?asOf={asOf}", 200)).Json["rules"]!.AsArray().Count.ShouldBe(5);
        (await Doctor.Get($"/api/admin/close-gate?asOf={Uri.EscapeDataString(changedAt.AddSeconds(5).ToString("O"))}", 200))
            .Json["rules"]!.AsArray().Count.ShouldBe(1);

        await AuditTrailHolds(1);
        var entry = (await As("tenant_auditor", "comp-1").Get("/api/audit?action=close_gate_rules_changed", 200)).Json["items"]![0]!;
        entry["userId"]!.ToString().ShouldBe("admin-1");
        entry["facilityId"]!.ToString().ShouldBe("clinic-1");
    }

    [Fact]
    public async Task catalog_changes_are_events_with_who_and_why_and_a_facility_admin_cannot_change_the_tenants_catalog()
    {
        await As("facility_admin", "admin-2", "clinic-2").Post("/api/lab/catalog/TSH/retire", new { reason = "Not here" }, 403);
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", new { reason = "Sent out to the reference lab" }, 200);
        var tsh = (await Doctor.Get("/api/lab/catalog?pageSize=100", 200)).Json["items"]!.AsArray().Single(t => t!["id"]!.ToString() == "TSH")!;
        tsh["retired"]!.GetValue<bool>().ShouldBeTrue();

        await AuditTrailHolds(1);
        var entry = (await As("tenant_auditor", "comp-1").Get("/api/audit?action=lab_test_retired", 200)).Json["items"]![0]!;
        entry["userId"]!.ToString().ShouldBe("tenant-admin-1");
    }
}
