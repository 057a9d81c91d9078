using Encounters.Audit;

namespace Encounters.Lab;

public record StageTimes(double? Median, double? P90, int Count);

/// <summary>Turnaround in minutes for one test at one priority: each stage, and ordered → released overall.</summary>
public record TurnaroundRow(string ServiceCode, OrderPriority Priority, StageTimes OrderedToCollected, StageTimes CollectedToReceived,
    StageTimes ReceivedToResulted, StageTimes ResultedToVerified, StageTimes VerifiedToReleased, StageTimes OrderedToReleased);

public static class TurnaroundEndpoint
{
    /// <summary>A window of at most a year: the orders of a wider one would all be loaded into memory.</summary>
    public static ProblemDetails Validate(DateTimeOffset? from, DateTimeOffset? to) =>
        Problems.Validation(Requests.ClinicalDates.Window(from, to, required: true));

    /// <summary>Median and 90th percentile turnaround per test and priority, for orders placed in [from, to).</summary>
    [NoPatientData]
    [WolverineGet("/api/lab/tat", Name = "GetLabTurnaround"), Authorize(Actions.ReadWorklist)]
    public static async Task<IReadOnlyList<TurnaroundRow>> Get(DateTimeOffset? from, DateTimeOffset? to, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var (start, end) = (from!.Value, to!.Value);
        var orders = await session.Query<LabOrderView>()
            .Where(o => o.FacilityId == scope.FacilityId && o.OrderedAt >= start && o.OrderedAt < end)
            .ToListAsync(ct);

        return orders
            .SelectMany(o => o.Items.Where(i => i.State != ItemState.Cancelled).Select(i => (o.Priority, Item: i)))
            .GroupBy(x => (x.Item.ServiceCode, x.Priority))
            .OrderBy(g => g.Key.ServiceCode).ThenBy(g => g.Key.Priority)
            .Select(g =>
            {
                var items = g.Select(x => x.Item).ToList();
                return new TurnaroundRow(g.Key.ServiceCode, g.Key.Priority,
                    Times(items, i => i.OrderedAt, i => i.CollectedAt),
                    Times(items, i => i.CollectedAt, i => i.ReceivedAt),
                    Times(items, i => i.ReceivedAt, i => i.ResultedAt),
                    Times(items, i => i.ResultedAt, i => i.VerifiedAt),
                    Times(items, i => i.VerifiedAt, i => i.ReleasedAt),
                    Times(items, i => i.OrderedAt, i => i.ReleasedAt));
            })
            .ToList();
    }

    /// <summary>Median and 90th percentile minutes between two moments of each item that has both.</summary>
    public static StageTimes Times<T>(IEnumerable<T> items, Func<T, DateTimeOffset?> start, Func<T, DateTimeOffset?> end)
    {
        var minutes = items
            .Where(i => start(i) is not null && end(i) is not null)
            .Select(i => (end(i)!.Value - start(i)!.Value).TotalMinutes)
            .Order()
            .ToList();
        return new StageTimes(Percentile(minutes, 0.5), Percentile(minutes, 0.9), minutes.Count);
    }

    /// <summary>Linear interpolation between closest ranks.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return null;
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return Math.Round(sorted[low] + (sorted[high] - sorted[low]) * (rank - low), 1);
    }
}
