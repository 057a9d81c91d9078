using Encounters.Lab;
using Marten;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// Lab turnaround is read from tallies the async daemon keeps from the orders: the figures a lab supervisor sees for orders written
/// with known moments (different days, hours, tests and priorities, a cancellation, another facility), and tallies that
/// stay right when many orders are placed at once.
/// </summary>
public sealed class TurnaroundTests(AppFixture app) : ClinicTest(app)
{
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);

    /// <summary>An order of one test walked to release: minutes after ordering of each step, or null where it stops.</summary>
    private async Task<Guid> Walked(string code, OrderPriority priority, DateTimeOffset orderedAt, int? releasedAfter,
        string facility = "clinic-1", bool cancelled = false)
    {
        var (order, item, sample) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        DateTimeOffset At(double fraction) => orderedAt.AddMinutes(releasedAfter!.Value * fraction);
        await using var session = App.Store.LightweightSession(Tenant);
        var events = new List<object>
        {
            new LabOrderPlaced(order, Guid.NewGuid(), Guid.NewGuid(), facility, priority, [new OrderedItem(item, code, "", code, "serum", "tube", 1)],
                null, "dr-kofi", "Dr Kofi", orderedAt),
        };
        if (releasedAfter is not null)
        {
            events.Add(new LabOrderItemsCollected(order, Guid.Empty, sample, [item], "ACC", At(0.1)));
            events.Add(new LabOrderItemsReceived(order, Guid.Empty, sample, [item], At(0.3)));
            events.Add(new ResultEntered(item, order, Guid.Empty, Guid.Empty, facility, sample, code, code, 1, [], false, 1, null,
                "tech-tom", "dr-kofi", priority, At(0.6)));
            events.Add(new ResultVerified(item, order, Guid.Empty, 1, "sup-sam", At(0.7)));
            events.Add(new ResultReleased(item, order, Guid.Empty, 1, false, false, "dr-kofi", At(1)));
        }
        session.Events.StartStream(order, events.ToArray());
        await session.SaveChangesAsync();
        if (cancelled)
        {
            session.Events.Append(order, new LabOrderItemCancelled(order, Guid.Empty, item, "Not needed", orderedAt.AddHours(1)));
            await session.SaveChangesAsync();
        }
        return order;
    }

    private async Task<TurnaroundRow[]> Report(DateTimeOffset from, DateTimeOffset to)
    {
        await CaughtUp();
        return (await Supervisor.Get($"/api/lab/tat?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}", 200))
            .As<TurnaroundRow[]>();
    }

    [Fact]
    public async Task turnaround_counts_each_test_and_priority_by_the_hour_and_day_it_was_ordered()
    {
        await Walked("GLU", OrderPriority.Routine, Day.AddHours(10), 80);
        await Walked("GLU", OrderPriority.Routine, Day.AddHours(11), 100);
        await Walked("GLU", OrderPriority.Routine, Day.AddHours(11).AddMinutes(5), null, cancelled: true);
        await Walked("GLU", OrderPriority.Routine, Day.AddHours(12), null);
        await Walked("GLU", OrderPriority.Stat, Day.AddHours(10).AddMinutes(30), 20);
        await Walked("K", OrderPriority.Routine, Day.AddDays(1).AddHours(9), 50);
        await Walked("K", OrderPriority.Routine, Day.AddDays(1).AddHours(9), 70, facility: "clinic-2");

        var both = await Report(Day, Day.AddDays(2));
        both.Select(r => (r.ServiceCode, r.Priority)).ShouldBe([("GLU", OrderPriority.Stat), ("GLU", OrderPriority.Routine), ("K", OrderPriority.Routine)]);
        var glucose = both[1];
        glucose.OrderedToCollected.Count.ShouldBe(2); // the third was cancelled, the fourth is still waiting
        glucose.OrderedToReleased.ShouldBe(new StageTimes(90, 98, 2));
        glucose.OrderedToCollected.ShouldBe(new StageTimes(9, 9.8, 2));
        glucose.CollectedToReceived.ShouldBe(new StageTimes(18, 19.6, 2));
        glucose.ReceivedToResulted.ShouldBe(new StageTimes(27, 29.4, 2));
        glucose.ResultedToVerified.ShouldBe(new StageTimes(9, 9.8, 2));
        glucose.VerifiedToReleased.ShouldBe(new StageTimes(27, 29.4, 2));
        both[0].OrderedToReleased.ShouldBe(new StageTimes(20, 20, 1));
        both[2].OrderedToReleased.ShouldBe(new StageTimes(50, 50, 1)); // clinic-2's is not clinic-1's

        // From 11:00 to 10:00 two days later: the 11:00 and 12:00 glucose (hours) and the next day's potassium (a whole day).
        var window = await Report(Day.AddHours(11), Day.AddDays(2).AddHours(10));
        window.Select(r => (r.ServiceCode, r.Priority)).ShouldBe([("GLU", OrderPriority.Routine), ("K", OrderPriority.Routine)]);
        window[0].OrderedToReleased.ShouldBe(new StageTimes(100, 100, 1));
        window[0].OrderedToCollected.Count.ShouldBe(1);
        (await Report(Day.AddDays(1).AddHours(10), Day.AddDays(3))).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_median_of_many_is_within_a_bucket_of_the_exact_one()
    {
        var minutes = Enumerable.Range(1, 25).Select(i => 7 * i).ToList(); // 7 … 175: exact median 91, 90th percentile 158.2
        foreach (var m in minutes) await Walked("CRP", OrderPriority.Urgent, Day.AddHours(8), m);

        var crp = (await Report(Day, Day.AddDays(1))).Single().OrderedToReleased;
        crp.Count.ShouldBe(25);
        crp.Median!.Value.ShouldBe(91, tolerance: 91 * 0.05);
        crp.P90!.Value.ShouldBe(158.2, tolerance: 158.2 * 0.05);
    }

    [Fact]
    public async Task orders_placed_at_once_are_all_counted()
    {
        var encounter = await InConsult();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "TSH" } } }, 201)));

        var now = DateTimeOffset.UtcNow;
        var tsh = (await Report(now.AddDays(-1), now.AddDays(1))).Single(r => r.ServiceCode == "TSH");
        tsh.OrderedToCollected.Count.ShouldBe(0);
        await using var session = App.Store.QuerySession(Tenant);
        var tallies = await session.Query<TurnaroundTally>().Where(t => t.Code == "TSH").ToListAsync();
        tallies.Where(t => t.Hours == 24).Sum(t => t.Items).ShouldBe(8);
        tallies.Where(t => t.Hours == 1).Sum(t => t.Items).ShouldBe(8);
    }
}
