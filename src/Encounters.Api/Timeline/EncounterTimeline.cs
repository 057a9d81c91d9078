using System.Linq.Expressions;
using Encounters.Audit;
using Encounters.Encounters;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;
using Marten.Linq;

namespace Encounters.Timeline;

/// <summary>One fact of a visit, from any of its streams, in the words a clinician would use.</summary>
public sealed class TimelineEntry
{
    public Guid Id { get; set; }
    public Guid EncounterId { get; set; }
    public string FacilityId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public string Summary { get; set; } = "";
    public Actor Actor { get; set; } = new("", "", "");
    public Guid StreamId { get; set; }
    public long StreamVersion { get; set; }
    public long Sequence { get; set; }
}

/// <summary>
/// The encounter timeline: an asynchronous projection over every fact that belongs on a visit (<see cref="IVisitFact"/>:
/// its module says how it reads), one document per event, keyed by the event id so a rebuild writes the same documents,
/// a batch's entries in one statement (<see cref="FactRows"/>). It runs in the async daemon, whose shards Wolverine
/// spreads over the running nodes.
/// </summary>
public sealed class TimelineProjection : ProjectionBase, IProjection
{
    public const string ProjectionName = "EncounterTimeline";

    public TimelineProjection()
    {
        Name = ProjectionName;
        EventTypes.FilterOn<IVisitFact>(this);
    }

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var tenant in events.Where(e => e.Data is IVisitFact).GroupBy(e => e.TenantId))
            FactRows.Queue(operations.ForTenant(tenant.Key), tenant.Key, tenant.Select(Entry).ToList(), entry => entry.Id);
        return Task.CompletedTask;
    }

    private static TimelineEntry Entry(IEvent e)
    {
        var fact = (IVisitFact)e.Data;
        var line = fact.Describe();
        return new TimelineEntry
        {
            Id = e.Id, EncounterId = fact.EncounterId, FacilityId = e.GetHeader(EventHeaders.Facility)?.ToString() ?? "",
            At = e.Timestamp, Kind = line.Kind, Summary = line.Summary, Actor = Actor.Of(e), StreamId = e.StreamId,
            StreamVersion = e.Version, Sequence = e.Sequence,
        };
    }

    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add(new TimelineProjection(), ProjectionLifecycle.Async,
            asyncConfiguration: async => async.DeleteViewTypeOnTeardown<TimelineEntry>());
        opts.Schema.For<TimelineEntry>().Index(x => x.EncounterId);
        IndexedColumns.Store<TimelineEntry>(opts, x => x.EncounterId);
    }
}

public static class GetTimelineEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? after) => Problems.Validation(Paging.Errors(page, pageSize, after));

    public static Task<EncounterSummary?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => EncounterSummary.LoadAsync(id, session, ct);

    /// <summary>Every fact of the visit in the order it happened, optionally of one kind (e.g. <c>result</c> or <c>result.released</c>).</summary>
    [ReadsChart("encounter.timeline")]
    [WolverineGet("/api/encounters/{id}/timeline", Name = "GetEncounterTimeline"), Authorize(Actions.ReadTimeline)]
    public static async Task<Page<TimelineEntry>?> Get(Guid id, [NotBody] EncounterSummary? encounter, string? kind, int? page, int? pageSize,
        string? after, bool? count, IQuerySession session, CancellationToken ct)
    {
        if (encounter is null) return null;

        var query = session.Query<TimelineEntry>().Where(t => t.EncounterId == id);
        var whole = string.IsNullOrWhiteSpace(kind);
        if (!whole) query = query.Where(t => t.Kind == kind || t.Kind.StartsWith(kind + "."));
        return await query.OrderBy(t => t.Sequence).PageAsync(page, pageSize, ct, after, count,
            whole ? async rows => (await session.QueryAsync(new FirstEntries { EncounterId = id, Rows = rows }, ct)).ToList() : null);
    }

    /// <summary>The whole timeline's first page, compiled: the read after nearly every step of a visit.</summary>
    public sealed class FirstEntries : ICompiledListQuery<TimelineEntry>
    {
        public Guid EncounterId { get; set; }
        public int Rows { get; set; }

        public Expression<Func<IMartenQueryable<TimelineEntry>, IEnumerable<TimelineEntry>>> QueryIs() =>
            entries => entries.Where(t => t.EncounterId == EncounterId).OrderBy(t => t.Sequence).ThenBy(t => t.Id).Take(Rows);
    }
}
