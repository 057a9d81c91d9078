using System.Text.Json;
using Encounters.Audit;
using Encounters.Tasks;
using Encounters.Timeline;
using Marten;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Every read model is a function of the events: rebuilding it from scratch gives the same views.</summary>
[Collection(ApiCollection.Name)]
public class RebuildTests(AppFixture app)
{
    private readonly string _tenant = TestData.NewTenant();

    private async Task<string> Snapshot()
    {
        await using var session = app.Store.QuerySession(_tenant);
        var timeline = await session.Query<TimelineEntry>().OrderBy(t => t.Sequence).ToListAsync();
        var tasks = await session.Query<WorkTask>().OrderBy(t => t.Id).ToListAsync();
        var audit = await session.Query<AuditEntry>().OrderBy(a => a.Sequence).ToListAsync();
        return JsonSerializer.Serialize(new { timeline, tasks, audit });
    }

    [Fact]
    public async Task rebuilding_the_projections_yields_identical_timelines_tasks_and_audit()
    {
        var reception = Caller.As(app.Host, "receptionist", _tenant, "clinic-1");
        var doctor = Caller.As(app.Host, "clinician", _tenant, "clinic-1", sub: "dr-kofi");
        var nurse = Caller.As(app.Host, "nurse", _tenant, "clinic-1");
        var encounter = await TestData.PlanEncounter(reception);
        await reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        var order = await doctor.Post("/api/orders", new { encounterId = encounter, priority = "urgent", items = new[] { new { serviceCode = "CRP" }, new { serviceCode = "CBC" } } }, 201);
        var items = ClinicTest.ItemIds(order).ToArray();
        await nurse.Post("/api/lab/samples", new { orderId = order.Id, itemIds = new[] { items[0] }, collectedAt = DateTimeOffset.UtcNow.ToString("O") }, 201);
        await doctor.Get($"/api/encounters/{encounter}", 200); // the read is recorded in the response's transaction

        await app.CaughtUp();
        var before = await Snapshot();
        before.ShouldContain("collect-sample");
        before.ShouldContain("read.encounter");

        // Lose the read models entirely: the rebuild must recreate them from the events alone.
        await using (var session = app.Store.LightweightSession(_tenant))
        {
            session.DeleteWhere<TimelineEntry>(_ => true);
            session.DeleteWhere<WorkTask>(_ => true);
            session.DeleteWhere<AuditEntry>(_ => true);
            await session.SaveChangesAsync();
        }
        (await Snapshot()).ShouldNotContain("collect-sample");

        using var daemon = await app.Store.BuildProjectionDaemonAsync();
        foreach (var name in new[] { TimelineProjection.ProjectionName, TaskProjection.ProjectionName, AuditProjection.Name })
            await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(2), CancellationToken.None);

        (await Snapshot()).ShouldBe(before);
        var verdict = (await Caller.As(app.Host, "auditor", _tenant, "clinic-1").Get("/api/audit/verify", 200)).As<ChainVerification>();
        verdict.Intact.ShouldBeTrue();
    }
}
