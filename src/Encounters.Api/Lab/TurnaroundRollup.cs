using System.Text.Json;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Encounters.Lab;

/// <summary>
/// Keeps the turnaround tallies inline with the events that move an order's (or request's) timestamps. For each subject the
/// transaction touches, it folds the subject's read model as committed before the transaction through the same methods that
/// build it, and counts each item's change: its old figures out of its tallies, its new ones in (an unchanged item touches
/// nothing, so acknowledging a result writes no tally). Registered before the read model's own projection, so the read
/// model it loads is the committed one. Inline, so the report is current the moment a command answers, like the read model.
/// </summary>
public abstract class TurnaroundRollup<TView> : IProjection where TView : class
{
    protected abstract string Kind { get; }

    /// <summary>The read model an event moves, or null for an event that moves none.</summary>
    protected abstract Guid? Subject(object data);

    protected abstract TView? Fold(TView? view, IEvent e);

    /// <summary>Every item of the subject that counts (not cancelled), with its figures so far.</summary>
    protected abstract IEnumerable<TurnaroundSample> Samples(TView view);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var tenant in events.Where(e => Subject(e.Data) is not null).GroupBy(e => e.TenantId))
        {
            var ops = operations.ForTenant(tenant.Key);
            var changes = new List<(TurnaroundSample Sample, int Sign)>();
            foreach (var subject in tenant.GroupBy(e => Subject(e.Data)!.Value))
            {
                var before = await ops.LoadAsync<TView>(subject.Key, ct);
                var after = subject.Aggregate(before is null ? null : Copy(before), Fold);
                var (old, now) = (before is null ? [] : Samples(before).ToList(), after is null ? [] : Samples(after).ToList());
                changes.AddRange(old.Where(o => !now.Any(o.SameAs)).Select(o => (o, -1)));
                changes.AddRange(now.Where(n => !old.Any(n.SameAs)).Select(n => (n, 1)));
            }

            var tallies = new Dictionary<string, (TurnaroundTally Tally, bool Stored)>();
            foreach (var (sample, sign) in changes)
            foreach (var fresh in TurnaroundTally.For(Kind, sample))
            {
                if (!tallies.TryGetValue(fresh.Id, out var known))
                    tallies[fresh.Id] = known = await ops.LoadAsync<TurnaroundTally>(fresh.Id, ct) is { } stored ? (stored, true) : (fresh, false);
                known.Tally.Count(sample, sign);
            }

            // A new tally is inserted, so a second transaction creating it at once fails instead of overwriting it.
            foreach (var (tally, stored) in tallies.Values)
                if (stored) ops.Update(tally);
                else ops.Insert(tally);
        }
    }

    private static TView Copy(TView view) => JsonSerializer.Deserialize<TView>(JsonSerializer.SerializeToUtf8Bytes(view))!;
}
