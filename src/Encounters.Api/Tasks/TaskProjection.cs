using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Tasks;

/// <summary>
/// The task list: an asynchronous event projection that opens, completes and cancels tasks from the workflow's events
/// (never from bookkeeping in handlers), so it can be rebuilt from the events at any time. One small method per event,
/// in one file per module that owns the events (TaskProjection.Lab.cs, .Clinic.cs, .Medications.cs, .Imaging.cs).
/// </summary>
public sealed partial class TaskProjection : EventProjection
{
    public const string ProjectionName = "WorkTasks";
    public static readonly TimeSpan CriticalAcknowledgementDue = TimeSpan.FromMinutes(30);

    public TaskProjection() => Name = ProjectionName;

    public async Task Project(TaskClaimed claimed, IEvent e, IDocumentOperations ops)
    {
        if (await Find(ops, e, claimed.TaskId) is not { IsOpen: true } task) return;
        task.ClaimedBy = claimed.UserId;
        Tasks(ops, e).Store(task);
    }

    public async Task Project(TaskUnclaimed unclaimed, IEvent e, IDocumentOperations ops)
    {
        if (await Find(ops, e, unclaimed.TaskId) is not { } task) return;
        task.ClaimedBy = null;
        Tasks(ops, e).Store(task);
    }

    public async Task Project(TaskCompletedByHand done, IEvent e, IDocumentOperations ops)
    {
        if (await Find(ops, e, done.TaskId) is not { IsOpen: true } task) return;
        (task.Status, task.ClosedAt, task.ClosedBy) = (TaskStatuses.Completed, done.At, done.UserId);
        Tasks(ops, e).Store(task);
    }

    /// <summary>The event's tenant's documents (the daemon hands a projection every tenant's events).</summary>
    private static IDocumentOperations Tasks(IDocumentOperations ops, IEvent e) => ops.ForTenant(e.TenantId);

    private static Task<WorkTask?> Find(IDocumentOperations ops, IEvent e, Guid id) => Tasks(ops, e).LoadAsync<WorkTask>(id);

    private static Task<WorkTask?> Find(IDocumentOperations ops, IEvent e, string kind, Guid subject) => Find(ops, e, TaskKinds.Id(kind, subject));

    /// <summary>
    /// Opens the task, or reopens it afresh (a new version to verify, a corrected result to review). The batch's session
    /// tracks tasks by id and refuses a second instance of one, so a task it already holds is reopened in place.
    /// </summary>
    private static async Task Open(IDocumentOperations ops, IEvent e, string kind, Guid subject, Action<WorkTask> describe)
    {
        var task = new WorkTask
        {
            Id = TaskKinds.Id(kind, subject), Kind = kind, CreatedAt = e.Timestamp,
            FacilityId = e.GetHeader(Scope.EventHeaders.Facility)?.ToString() ?? "",
        };
        describe(task);
        if (await Find(ops, e, task.Id) is { } earlier)
        {
            earlier.Become(task);
            task = earlier;
        }
        Tasks(ops, e).Store(task);
    }

    private static async Task Close(IDocumentOperations ops, IEvent e, string kind, Guid subject, string status)
    {
        if (await Find(ops, e, kind, subject) is not { IsOpen: true } task) return;
        (task.Status, task.ClosedAt, task.ClosedBy) = (status, e.Timestamp, $"event:{e.EventTypeName}");
        Tasks(ops, e).Store(task);
    }

    /// <summary>The ordering clinician's urgent task for a released critical result or finding, due within the acknowledgement time.</summary>
    private static Task OpenCriticalAcknowledgement(IDocumentOperations ops, IEvent e, Guid subject, string title, string orderedBy,
        DateTimeOffset releasedAt, Action<WorkTask> about) =>
        Open(ops, e, TaskKinds.AcknowledgeCritical, subject, t =>
        {
            (t.Title, t.Role, t.AssigneeUserId, t.Priority) = (title, Roles.Clinician, orderedBy, "urgent");
            t.DueAt = releasedAt + CriticalAcknowledgementDue;
            about(t);
        });

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes([typeof(TaskClaimed), typeof(TaskUnclaimed), typeof(TaskCompletedByHand)]);
        // Tracked by identity: a task opened and closed by events of one batch is loaded from the batch, not the table.
        opts.Projections.Add(new TaskProjection(), ProjectionLifecycle.Async, async =>
        {
            async.EnableDocumentTrackingByIdentity = true;
            async.DeleteViewTypeOnTeardown<WorkTask>();
        });
        // The task list (a facility's tasks of one status, by priority rank then age) reads the first index in its own order
        // and stops at the page, so its cost does not grow with closed history (plans in docs/benchmarks.md); the second
        // serves the overdue-acknowledgement gauge (every tenant) and a count by status; the third the FHIR Task search.
        opts.Schema.For<WorkTask>()
            .Index([x => x.FacilityId, x => x.Status, x => x.PriorityRank, x => x.CreatedAt],
                i => i.TenancyScope = Marten.Schema.Indexing.Unique.TenancyScope.PerTenant)
            .Index([x => x.Status, x => x.Kind])
            // The FHIR Task search (a facility's tasks by creation, then id) reads this in its own order and stops at the page.
            .Index([x => x.FacilityId, x => x.CreatedAt, x => x.Id],
                i => i.TenancyScope = Marten.Schema.Indexing.Unique.TenancyScope.PerTenant);
        IndexedColumns.Store<WorkTask>(opts, x => x.FacilityId, x => x.Status, x => x.PriorityRank, x => x.CreatedAt, x => x.Kind);
    }
}
