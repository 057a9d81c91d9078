using Alba;
using Encounters.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Shouldly;

namespace Encounters.Tests;

/// <summary>What an operator's dashboard shows, read back through OpenTelemetry's in-memory exporter.</summary>
[Collection(ApiCollection.Name)]
public class MetricsTests(AppFixture app) : ClinicTest(app)
{
    private readonly List<Metric> _exported = [];

    private MeterProvider Export() =>
        Sdk.CreateMeterProviderBuilder().AddMeter(Telemetry.MeterName).AddInMemoryExporter(_exported).Build()!;

    /// <summary>The points of a metric whose tags include all of <paramref name="tags"/>.</summary>
    private List<MetricPoint> Points(string metric, params (string Key, string Value)[] tags)
    {
        var points = new List<MetricPoint>();
        foreach (var m in _exported.Where(m => m.Name == metric))
        foreach (ref readonly var point in m.GetMetricPoints())
        {
            var present = new Dictionary<string, string>();
            foreach (var tag in point.Tags) present[tag.Key] = tag.Value?.ToString() ?? "";
            if (tags.All(t => present.GetValueOrDefault(t.Key) == t.Value)) points.Add(point);
        }
        return points;
    }

    private Metric Described(string metric) => _exported.First(m => m.Name == metric);

    [Fact]
    public async Task a_critical_result_shows_in_turnaround_read_audits_command_outcomes_and_overdue_acknowledgements()
    {
        using var provider = Export();
        var encounter = await InConsult();
        var (order, items) = await LabOrder(encounter, "K");
        var item = items.Single();
        await Received(order, item);
        await EnterResult(item, "2823-3", 2.1m);
        await Supervisor.Post($"/api/lab/results/{item}/verify", null, 428);
        await VerifyAndRelease(item);
        await Reception.Post($"/api/lab/results/{item}/acknowledge", new { note = "seen" }, 403);
        await Doctor.Get($"/api/lab/results/{item}", 200);
        await CaughtUp();
        (await Doctor.Get("/api/tasks?pageSize=200", 200)).As<Page<global::Encounters.Tasks.TaskView>>().Items
            .ShouldContain(t => t.Task.Kind == "acknowledge-critical-result");

        var gauges = App.Host.Services.GetServices<IHostedService>().OfType<OperationalGauges>().Single();
        try
        {
            AppFixture.Clock.Offset = TimeSpan.FromMinutes(31);
            await gauges.SampleAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            AppFixture.Clock.Offset = TimeSpan.Zero;
        }
        provider.ForceFlush();

        var turnaround = Points("encounters.lab.turnaround", ("test", "K"), ("priority", "routine"));
        turnaround.Sum(p => p.GetHistogramCount()).ShouldBeGreaterThanOrEqualTo(1);
        Described("encounters.lab.turnaround").Unit.ShouldBe("min");

        Points("encounters.audit.reads", ("resource", "result")).Sum(p => p.GetSumLong()).ShouldBeGreaterThanOrEqualTo(1);
        Described("encounters.audit.reads").Unit.ShouldBe("{read}");

        Points("encounters.commands", ("command", "ReleaseResult"), ("outcome", "succeeded")).ShouldNotBeEmpty();
        Points("encounters.commands", ("command", "VerifyResult"), ("outcome", "refused")).ShouldNotBeEmpty();
        Points("encounters.commands", ("command", "AcknowledgeCriticalResult"), ("outcome", "denied")).ShouldNotBeEmpty();

        var overdue = Points("encounters.lab.critical_acknowledgements.overdue", ("tenant", Tenant), ("facility", "clinic-1")).Single();
        overdue.GetGaugeLastValueLong().ShouldBe(1);
        Described("encounters.lab.critical_acknowledgements.overdue").Unit.ShouldBe("{result}");

        Points("encounters.projection.lag").ShouldNotBeEmpty();
        Described("encounters.projection.lag").Unit.ShouldBe("{event}");
        Points("encounters.messages.dead_letters").Single().GetGaugeLastValueLong().ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task readiness_reports_the_database_and_how_far_each_projection_is_behind()
    {
        var ready = await App.Host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBe(200); });
        var body = new Response(ready).As<HealthBody>();
        body.Checks["database"].Status.ShouldBe("healthy");
        body.Checks["projections"].Description!.ShouldContain("EncounterTimeline");
    }
}
