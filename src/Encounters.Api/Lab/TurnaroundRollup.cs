using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Lab;

/// <summary>
/// Keeps the turnaround tallies in the async daemon, one writer per shard, so no command waits for or races on a shared
/// tally. For each order (or request) a batch touches, it recounts: the subject's read model as it is now against what was
/// last counted for it (<see cref="TurnaroundCounted"/>), the difference moved out of and into the tallies. The read model
/// only moves forward, so the tallies follow it, whether a batch is behind it or a rebuild replays history.
/// </summary>
public abstract class TurnaroundRollup<TView, TSubjectEvent> : ProjectionBase, IProjection where TView : class
{
    /// <summary>Named for its shard, and reading only its subjects' events (<see cref="EventTypes"/>).</summary>
    protected TurnaroundRollup(string shard)
    {
        base.Name = shard;
        EventTypes.FilterOn<TSubjectEvent>(this);
    }

    protected abstract string Kind { get; }

    /// <summary>The read model an event moves, or null for an event that moves none.</summary>
    protected abstract Guid? Subject(object data);

    /// <summary>Every item of the subject that counts (not cancelled), with its figures so far.</summary>
    protected abstract IEnumerable<TurnaroundSample> Samples(TView view);

    /// <summary>The read model's id, the subject's.</summary>
    protected abstract Guid IdOf(TView view);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        foreach (var tenant in events.Where(e => Subject(e.Data) is not null).GroupBy(e => e.TenantId))
        {
            var ops = operations.ForTenant(tenant.Key);
            var subjects = tenant.Select(e => Subject(e.Data)!.Value).Distinct().ToArray();
            // Three statements a batch, whatever it touches: the subjects' counts and read models, then their tallies.
            var batch = ops.CreateBatchQuery();
            var loadingCounted = batch.LoadMany<TurnaroundCounted>().ById(subjects);
            var loadingViews = batch.LoadMany<TView>().ById(subjects);
            await batch.Execute(ct);
            var counted = (await loadingCounted).ToDictionary(c => c.Id);
            var views = (await loadingViews).ToDictionary(IdOf);

            var changes = new List<(TurnaroundSample Sample, int Sign)>();
            foreach (var subject in subjects)
            {
                var was = counted.GetValueOrDefault(subject) ?? new TurnaroundCounted { Id = subject };
                var now = views.TryGetValue(subject, out var view) ? Samples(view).ToList() : [];
                var gone = was.Samples.Where(o => !now.Any(o.SameAs)).ToList();
                var added = now.Where(n => !was.Samples.Any(n.SameAs)).ToList();
                if (gone.Count + added.Count == 0) continue;
                changes.AddRange(gone.Select(o => (o, -1)).Concat(added.Select(n => (n, 1))));
                was.Samples = now;
                ops.Store(was);
            }
            if (changes.Count == 0) continue;

            var counts = changes.SelectMany(c => TurnaroundTally.For(Kind, c.Sample).Select(fresh => (fresh, c.Sample, c.Sign))).ToList();
            var ids = counts.Select(c => c.fresh.Id).Distinct().ToArray();
            var tallies = (await ops.LoadManyAsync<TurnaroundTally>(ct, ids)).ToDictionary(t => t.Id);
            foreach (var (fresh, sample, sign) in counts)
            {
                if (!tallies.TryGetValue(fresh.Id, out var tally)) tallies[fresh.Id] = tally = fresh;
                tally.Count(sample, sign);
            }
            foreach (var tally in tallies.Values) ops.Store(tally);
        }
    }

    /// <summary>Async, with the batch's own writes visible to its later loads (a tally or a subject touched twice in one batch).</summary>
    protected static void Register(StoreOptions opts, TurnaroundRollup<TView, TSubjectEvent> rollup)
    {
        opts.Projections.Add(rollup, ProjectionLifecycle.Async, asyncConfiguration: async =>
        {
            async.EnableDocumentTrackingByIdentity = true;
            async.DeleteViewTypeOnTeardown<TurnaroundTally>();
            async.DeleteViewTypeOnTeardown<TurnaroundCounted>();
        });
    }
}

/// <summary>What the tallies hold for one order or imaging request: its items as last counted.</summary>
public sealed class TurnaroundCounted
{
    public Guid Id { get; set; }
    public List<TurnaroundSample> Samples { get; set; } = [];
}
