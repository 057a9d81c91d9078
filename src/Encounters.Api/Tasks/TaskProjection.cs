using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Tasks;

/// <summary>
/// The task list: an asynchronous projection that opens, completes and cancels tasks from the
/// workflow's events (never from bookkeeping in handlers), so it can be rebuilt from the events at any time.
/// </summary>
public sealed class TaskProjection : IProjection
{
    public const string Name = "WorkTasks";
    public static readonly TimeSpan CriticalAcknowledgementDue = TimeSpan.FromMinutes(30);

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var tenantEvents in events.GroupBy(e => e.TenantId))
        {
            var tenant = operations.ForTenant(tenantEvents.Key);
            var batch = new TaskBatch(tenant, cancellation);
            foreach (var e in tenantEvents.OrderBy(e => e.Sequence)) await Apply(batch, e);
            foreach (var task in batch.Changed) tenant.Store(task);
        }
    }

    private static async Task Apply(TaskBatch tasks, IEvent e)
    {
        var facility = e.GetHeader(Scope.EventHeaders.Facility)?.ToString() ?? "";
        switch (e.Data)
        {
            case TaskClaimed claimed when await tasks.Load(claimed.TaskId) is { IsOpen: true } task:
                task.ClaimedBy = claimed.UserId;
                tasks.Touch(task);
                break;

            case TaskUnclaimed unclaimed when await tasks.Load(unclaimed.TaskId) is { } task:
                task.ClaimedBy = null;
                tasks.Touch(task);
                break;

            case TaskCompletedByHand done when await tasks.Load(done.TaskId) is { IsOpen: true } task:
                task.Status = TaskStatuses.Completed;
                task.ClosedAt = done.At;
                task.ClosedBy = done.UserId;
                tasks.Touch(task);
                break;

            default:
                await LabTasks.Apply(tasks, e, facility);
                await ClinicTasks.Apply(tasks, e, facility);
                await MedicationTasks.Apply(tasks, e, facility);
                await ImagingTasks.Apply(tasks, e, facility);
                break;
        }
    }

    /// <summary>The ordering clinician's urgent task for a released critical result or finding, due within the acknowledgement time.</summary>
    internal static void OpenCriticalAcknowledgement(TaskBatch tasks, IEvent e, string facility, Guid subject, string title, string orderedBy,
        DateTimeOffset releasedAt, Action<WorkTask> about) =>
        tasks.Open(TaskKinds.AcknowledgeCritical, subject, e, facility, t =>
        {
            (t.Title, t.Role, t.AssigneeUserId, t.Priority) = (title, Roles.Clinician, orderedBy, "urgent");
            t.DueAt = releasedAt + CriticalAcknowledgementDue;
            about(t);
        });

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes([typeof(TaskClaimed), typeof(TaskUnclaimed), typeof(TaskCompletedByHand)]);
        opts.Projections.Add(new TaskProjection(), ProjectionLifecycle.Async, Name,
            async => async.DeleteViewTypeOnTeardown<WorkTask>());
        // The task list (a facility's tasks of one status, by priority rank then age) reads the first index in its own order
        // and stops at the page, so its cost does not grow with closed history (plans in docs/benchmarks.md); the second
        // serves the overdue-acknowledgement gauge (every tenant) and a status count; the third an encounter's open reviews.
        opts.Schema.For<WorkTask>()
            .Index([x => x.FacilityId, x => x.Status, x => x.PriorityRank, x => x.CreatedAt],
                i => i.TenancyScope = Marten.Schema.Indexing.Unique.TenancyScope.PerTenant)
            .Index([x => x.Status, x => x.Kind])
            .Index(x => x.EncounterId);
    }

    /// <summary>The tasks one batch of events touches, loaded once and stored once.</summary>
    internal sealed class TaskBatch(IDocumentOperations tenant, CancellationToken ct)
    {
        private readonly Dictionary<Guid, WorkTask?> _loaded = [];
        private readonly HashSet<Guid> _changed = [];

        public IEnumerable<WorkTask> Changed => _changed.Select(id => _loaded[id]!);

        public async Task<WorkTask?> Load(Guid id)
        {
            if (!_loaded.TryGetValue(id, out var task)) _loaded[id] = task = await tenant.LoadAsync<WorkTask>(id, ct);
            return task;
        }

        public Task<WorkTask?> Find(string kind, Guid subject) => Load(TaskKinds.Id(kind, subject));

        /// <summary>The ids of an encounter's open tasks of a kind, stored or opened earlier in this batch.</summary>
        public async Task<IReadOnlyList<Guid>> OpenOf(string kind, Guid encounterId)
        {
            var stored = await tenant.Query<WorkTask>()
                .Where(t => t.EncounterId == encounterId && t.Kind == kind && t.Status == TaskStatuses.Open).Select(t => t.Id).ToListAsync(ct);
            return stored.Concat(Changed.Where(t => t.EncounterId == encounterId && t.Kind == kind && t.IsOpen).Select(t => t.Id)).Distinct().ToList();
        }

        public void Touch(WorkTask task)
        {
            _loaded[task.Id] = task;
            _changed.Add(task.Id);
        }

        /// <summary>Opens the task, or reopens it afresh (a new version to verify, a corrected result to review).</summary>
        public void Open(string kind, Guid subject, IEvent e, string facility, Action<WorkTask> describe)
        {
            var task = new WorkTask { Id = TaskKinds.Id(kind, subject), Kind = kind, FacilityId = facility, CreatedAt = e.Timestamp };
            describe(task);
            Touch(task); // replaces whatever was there: no need to load it first
        }

        public Task Close(string kind, Guid subject, string status, IEvent e) => Close(TaskKinds.Id(kind, subject), status, e);

        public async Task Close(Guid id, string status, IEvent e)
        {
            if (await Load(id) is not { IsOpen: true } task) return;
            task.Status = status;
            task.ClosedAt = e.Timestamp;
            task.ClosedBy = $"event:{e.EventTypeName}";
            Touch(task);
        }
    }
}
