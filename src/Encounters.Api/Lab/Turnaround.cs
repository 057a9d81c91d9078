using Encounters.Audit;

namespace Encounters.Lab;

public record StageTimes(double? Median, double? P90, int Count);

/// <summary>Turnaround in minutes for one test at one priority: each stage, and ordered → released overall.</summary>
public record TurnaroundRow(string ServiceCode, OrderPriority Priority, StageTimes OrderedToCollected, StageTimes CollectedToReceived,
    StageTimes ReceivedToResulted, StageTimes ResultedToVerified, StageTimes VerifiedToReleased, StageTimes OrderedToReleased);

public static class TurnaroundEndpoint
{
    /// <summary>A window of at most a year: at most 366 days of tallies per test and priority.</summary>
    public static ProblemDetails Validate(DateTimeOffset? from, DateTimeOffset? to) =>
        Problems.Validation(Requests.ClinicalDates.Window(from, to, required: true));

    /// <summary>
    /// Median and 90th percentile turnaround per test and priority, for orders placed in [from, to) widened to whole hours
    /// (UTC), read from the tallies the async daemon keeps (<see cref="LabTurnaroundRollup"/>), never from the orders.
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/lab/tat", Name = "GetLabTurnaround"), Authorize(Actions.ReadWorklist)]
    public static async Task<IReadOnlyList<TurnaroundRow>> Get(DateTimeOffset? from, DateTimeOffset? to, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var tallies = await TurnaroundTally.InWindowAsync(session, LabTurnaroundRollup.KindName, scope.FacilityId, from!.Value, to!.Value, ct);
        return TurnaroundTally.Rows(tallies, LabTurnaroundRollup.Stages)
            .Select(r => new TurnaroundRow(r.Code, r.Priority, r.Stages[0].Times(), r.Stages[1].Times(), r.Stages[2].Times(),
                r.Stages[3].Times(), r.Stages[4].Times(), r.Stages[5].Times()))
            .ToList();
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

/// <summary>The lab's turnaround tallies, from each order's read model.</summary>
public sealed class LabTurnaroundRollup() : TurnaroundRollup<LabOrderView, ILabOrderEvent>("LabTurnaround")
{
    public const string KindName = "lab";
    public const int Stages = 6;

    protected override string Kind => KindName;

    protected override Guid IdOf(LabOrderView view) => view.Id;

    protected override Guid? Subject(object data) => (data as ILabOrderEvent)?.OrderId;

    protected override IEnumerable<TurnaroundSample> Samples(LabOrderView view) =>
        view.Items.Where(i => i.State != ItemState.Cancelled).Select(i => new TurnaroundSample(i.ItemId, view.FacilityId, i.OrderedAt,
            i.ServiceCode, view.Priority,
            [
                TurnaroundSample.Between(i.OrderedAt, i.CollectedAt), TurnaroundSample.Between(i.CollectedAt, i.ReceivedAt),
                TurnaroundSample.Between(i.ReceivedAt, i.ResultedAt), TurnaroundSample.Between(i.ResultedAt, i.VerifiedAt),
                TurnaroundSample.Between(i.VerifiedAt, i.ReleasedAt), TurnaroundSample.Between(i.OrderedAt, i.ReleasedAt),
            ]));

    public static void Configure(StoreOptions opts)
    {
        Register(opts, new LabTurnaroundRollup());
        TurnaroundTally.Configure(opts);
    }
}
