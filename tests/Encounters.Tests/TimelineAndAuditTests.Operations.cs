using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Encounters.Tests;

public partial class TimelineAndAuditTests
{
    [Fact]
    public async Task an_auditor_cannot_write_anything()
    {
        var patient = await TestData.RegisterPatient(Reception);
        var encounter = (await Reception.Post("/api/encounters", new { patientId = patient, reason = "Check" }, 201)).Id;
        await Auditor.Post("/api/patients", TestData.Patient(), 403);
        await Auditor.Post("/api/encounters", new { patientId = patient, reason = "x" }, 403);
        await Auditor.Post($"/api/encounters/{encounter}/check-in", null, 403);
        await Auditor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "GLU" } } }, 403);
        await Auditor.Post("/api/lab/samples", new { orderId = Guid.NewGuid(), itemIds = new[] { Guid.NewGuid() }, collectedAt = Now }, 403);
        await Auditor.Post("/api/lab/results", new { orderItemId = Guid.NewGuid(), analytes = new[] { new { code = "2345-7", value = 1m } } }, 403);
        await app.Host.Scenario(s =>
        {
            s.Put.Json(new { rules = Array.Empty<string>() }).ToUrl("/api/admin/close-gate");
            s.WithRequestHeader("X-Tenant-ID", Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(Caller.Token("aud", "auditor", Tenant, ["clinic-1"]));
            s.StatusCodeShouldBe(403);
        });
        (await Auditor.Get($"/api/encounters/{encounter}", 200))["status"].ShouldBe("planned");
    }

    [Fact]
    public async Task point_in_time_reads_show_the_encounter_before_and_after_an_amendment()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Viral illness." }, 200);
        var beforeAmendment = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Bacterial tonsillitis.", reason = "Exudate seen" }, 200);

        var atVersion4 = (await Doctor.Get($"/api/encounters/{encounter}?version=4", 200)).Json;
        atVersion4["documentation"]!["assessment"]!["latest"]!["content"]!["text"]!.ToString().ShouldBe("Viral illness.");
        atVersion4["version"]!.GetValue<long>().ShouldBe(4);
        var asOf = (await Doctor.Get($"/api/encounters/{encounter}?asOf={Uri.EscapeDataString(beforeAmendment.ToString("O"))}", 200)).Json;
        asOf["documentation"]!["assessment"]!["versionCount"]!.GetValue<int>().ShouldBe(1);
        var now = (await Doctor.Get($"/api/encounters/{encounter}", 200)).Json;
        now["documentation"]!["assessment"]!["latest"]!["content"]!["text"]!.ToString().ShouldBe("Bacterial tonsillitis.");
        (await Doctor.Get($"/api/encounters/{encounter}?version=2", 200))["status"].ShouldBe("arrived");
    }

    [Fact]
    public async Task admins_see_each_projection_position_and_lag()
    {
        var admin = Admin;
        await CaughtUp();
        var status = await admin.Get("/api/admin/projections", 200);
        status.Json["projections"]!.AsArray().Count.ShouldBeGreaterThanOrEqualTo(2);
        var names = status.Json["projections"]!.AsArray().Select(p => p!["name"]!.ToString()).ToList();
        names.ShouldContain(n => n.StartsWith("EncounterTimeline"));
        names.ShouldContain(n => n.StartsWith("AuditTrail"));
        // Positions are the tenant's own: no store-wide sequence reveals other tenants' activity.
        status.Json["highestEventSequence"].ShouldBeNull();
        status.Json["projections"]!.AsArray().ShouldAllBe(p => p!["lag"]!.GetValue<long>() >= 0 && p["position"] == null);
        await Doctor.Get("/api/admin/projections", 403);
    }
}
