using System.Text.Json.Nodes;
using Encounters.Encounters;
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
        await As("auditor", "aud").Put("/api/admin/close-gate", new { rules = Array.Empty<string>() }, 403);
        (await Auditor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().Status.ShouldBe(EncounterStatus.Planned);
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

        async Task<EncounterView> Read(string query = "") => (await Doctor.Get($"/api/encounters/{encounter}{query}", 200)).As<EncounterView>();
        var atVersion4 = await Read("?version=4");
        atVersion4.Documentation["assessment"].Latest.Content.Text.ShouldBe("Viral illness.");
        atVersion4.Version.ShouldBe(4);
        (await Read($"?asOf={Uri.EscapeDataString(beforeAmendment.ToString("O"))}")).Documentation["assessment"].VersionCount.ShouldBe(1);
        (await Read()).Documentation["assessment"].Latest.Content.Text.ShouldBe("Bacterial tonsillitis.");
        (await Read("?version=2")).Status.ShouldBe(EncounterStatus.Arrived);
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
