using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Tasks;

/// <summary>A piece of work someone must do, opened and closed by the events of the workflow.</summary>
public sealed class WorkTask
{
    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Title { get; set; } = "";
    public string Role { get; set; } = "";
    public string? AssigneeUserId { get; set; }

    /// <summary>Who may not take it: the person who entered the result a verification is about.</summary>
    public string? ExcludedUserId { get; set; }

    public string Priority { get; set; } = "routine";

    /// <summary>For ordering: stat 0, urgent 1, routine 2.</summary>
    public int PriorityRank => Priority switch { "stat" => 0, "urgent" => 1, _ => 2 };
    public string Status { get; set; } = TaskStatuses.Open;
    public string? ClaimedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public Guid EncounterId { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? ItemId { get; set; }
    public Guid? SampleId { get; set; }
    public Guid? PrescriptionId { get; set; }

    /// <summary>Only tasks no event will ever close may be completed by hand (reviewing a result).</summary>
    public bool ManualCompletion { get; set; }

    public bool IsOpen => Status == TaskStatuses.Open;
}

public static class TaskStatuses
{
    public const string Open = "open";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}

public static class TaskKinds
{
    public const string CollectSample = "collect-sample";
    public const string RecollectSample = "recollect-sample";
    public const string ReceiveSample = "receive-sample";
    public const string EnterResult = "enter-result";
    public const string VerifyResult = "verify-result";
    public const string ReviewResult = "review-result";
    public const string AcknowledgeCritical = "acknowledge-critical-result";
    public const string CompleteDocumentation = "complete-documentation";
    public const string ReviewEmergencyAccess = "review-emergency-access";
    public const string DispenseMedication = "dispense-medication";

    /// <summary>A task's id follows from what it is about, so every event finds it and a rebuild recreates it.</summary>
    public static Guid Id(string kind, Guid subject) => DerivedIds.Of($"task:{kind}:{subject}");
}

// Events of a task's own stream: what people do with it by hand.
public record TaskClaimed(Guid TaskId, string UserId, DateTimeOffset At);

public record TaskUnclaimed(Guid TaskId, string UserId, DateTimeOffset At);

public record TaskCompletedByHand(Guid TaskId, string UserId, string? Note, DateTimeOffset At);

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
            case LabOrderPlaced placed:
                foreach (var item in placed.Items)
                    tasks.Open(TaskKinds.CollectSample, item.ItemId, e, facility, t =>
                    {
                        t.Title = $"Collect {item.Name} ({item.SpecimenType}, {item.Container})";
                        t.Role = Roles.Nurse;
                        t.Priority = EncounterTransitions.Json(placed.Priority);
                        (t.EncounterId, t.OrderId, t.ItemId) = (placed.EncounterId, placed.OrderId, item.ItemId);
                    });
                break;

            case LabOrderItemCancelled cancelled:
                await CancelItemTasks(tasks, [cancelled.ItemId], e);
                break;

            case LabOrderCancelled cancelled:
                await CancelItemTasks(tasks, cancelled.ItemIds, e);
                break;

            case LabOrderItemsCollected collected:
                foreach (var item in collected.ItemIds)
                {
                    await tasks.Close(TaskKinds.CollectSample, item, TaskStatuses.Completed, e);
                    await tasks.Close(TaskKinds.RecollectSample, item, TaskStatuses.Completed, e);
                }
                var first = await tasks.Find(TaskKinds.CollectSample, collected.ItemIds[0]);
                tasks.Open(TaskKinds.ReceiveSample, collected.SampleId, e, facility, t =>
                {
                    t.Title = $"Receive sample {collected.AccessionNumber}";
                    t.Role = Roles.LabTechnician;
                    t.Priority = first?.Priority ?? "routine";
                    (t.EncounterId, t.OrderId, t.SampleId) = (collected.EncounterId, collected.OrderId, collected.SampleId);
                });
                break;

            case SpecimenReceived received:
                await tasks.Close(TaskKinds.ReceiveSample, received.SampleId, TaskStatuses.Completed, e);
                break;

            case SpecimenRejected rejected:
                await tasks.Close(TaskKinds.ReceiveSample, rejected.SampleId, TaskStatuses.Cancelled, e);
                break;

            case LabOrderItemsAwaitingRecollection awaiting:
                foreach (var item in awaiting.ItemIds)
                {
                    var original = await tasks.Find(TaskKinds.CollectSample, item);
                    tasks.Open(TaskKinds.RecollectSample, item, e, facility, t =>
                    {
                        t.Title = $"Recollect: the sample was rejected ({awaiting.Reason})";
                        t.Role = Roles.Nurse;
                        t.Priority = original?.Priority ?? "routine";
                        (t.EncounterId, t.OrderId, t.ItemId, t.SampleId) = (awaiting.EncounterId, awaiting.OrderId, item, awaiting.SampleId);
                    });
                }
                break;

            case LabOrderItemsReceived received:
                foreach (var item in received.ItemIds)
                {
                    var collect = await tasks.Find(TaskKinds.CollectSample, item);
                    tasks.Open(TaskKinds.EnterResult, item, e, facility, t =>
                    {
                        t.Title = $"Enter result: {collect?.Title.Replace("Collect ", "") ?? "lab test"}";
                        t.Role = Roles.LabTechnician;
                        t.Priority = collect?.Priority ?? "routine";
                        (t.EncounterId, t.OrderId, t.ItemId, t.SampleId) = (received.EncounterId, received.OrderId, item, received.SampleId);
                    });
                }
                break;

            case ResultEntered entered:
                await tasks.Close(TaskKinds.EnterResult, entered.ResultId, TaskStatuses.Completed, e);
                OpenVerification(tasks, e, facility, entered.ResultId, entered.EncounterId, entered.OrderId, entered.EnteredBy,
                    $"Verify {entered.TestName} (version {entered.ReportVersion})", EncounterTransitions.Json(entered.Priority));
                break;

            case ResultCorrected corrected:
                OpenVerification(tasks, e, facility, corrected.ResultId, corrected.EncounterId, corrected.OrderId, corrected.EnteredBy,
                    $"Verify the correction (version {corrected.ReportVersion}): {corrected.Reason}", "urgent");
                break;

            case ResultVerified verified:
                await tasks.Close(TaskKinds.VerifyResult, verified.ResultId, TaskStatuses.Completed, e);
                break;

            case ResultReleased released:
                tasks.Open(TaskKinds.ReviewResult, released.ResultId, e, facility, t =>
                {
                    t.Title = released.Corrected ? "Review the corrected lab result" : "Review the lab result";
                    t.Role = Roles.Clinician;
                    t.AssigneeUserId = released.OrderedBy;
                    t.ManualCompletion = true;
                    (t.EncounterId, t.OrderId, t.ItemId) = (released.EncounterId, released.OrderId, released.ResultId);
                });
                if (released.Critical)
                    OpenCriticalAcknowledgement(tasks, e, facility, released.ResultId, "Acknowledge a CRITICAL lab result", released.OrderedBy,
                        released.ReleasedAt, t => (t.EncounterId, t.OrderId, t.ItemId) = (released.EncounterId, released.OrderId, released.ResultId));
                break;

            case CriticalResultAcknowledged acknowledged:
                await tasks.Close(TaskKinds.AcknowledgeCritical, acknowledged.ResultId, TaskStatuses.Completed, e);
                await tasks.Close(TaskKinds.ReviewResult, acknowledged.ResultId, TaskStatuses.Completed, e);
                break;

            case EmergencyAccessGranted granted:
                tasks.Open(TaskKinds.ReviewEmergencyAccess, granted.GrantId, e, facility, t =>
                {
                    t.Title = $"Review a break-glass access to a chart ({EncounterTransitions.Json(granted.Reason)}): {granted.Note}";
                    t.Role = Roles.Auditor;
                    t.Priority = "urgent";
                    t.ManualCompletion = true;
                });
                break;

            case EncounterDocumentationOverdue overdue:
                tasks.Open(TaskKinds.CompleteDocumentation, overdue.EncounterId, e, facility, t =>
                {
                    t.Title = $"Complete the documentation: the consult has run over {overdue.LimitMinutes} minutes";
                    t.Role = Roles.Clinician;
                    t.AssigneeUserId = overdue.ClinicianId;
                    t.EncounterId = overdue.EncounterId;
                });
                break;

            case EncounterClosed closed:
                await tasks.Close(TaskKinds.CompleteDocumentation, closed.EncounterId, TaskStatuses.Completed, e);
                break;

            case EncounterCancelled cancelled:
                await tasks.Close(TaskKinds.CompleteDocumentation, cancelled.EncounterId, TaskStatuses.Cancelled, e);
                break;

            case EncounterMarkedEnteredInError inError:
                await tasks.Close(TaskKinds.CompleteDocumentation, inError.EncounterId, TaskStatuses.Cancelled, e);
                break;

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

    private static void OpenVerification(TaskBatch tasks, IEvent e, string facility, Guid resultId, Guid encounterId, Guid orderId,
        string enteredBy, string title, string priority) =>
        tasks.Open(TaskKinds.VerifyResult, resultId, e, facility, t =>
        {
            t.Title = title;
            t.Role = Roles.LabSupervisor;
            t.ExcludedUserId = enteredBy;
            t.Priority = priority;
            (t.EncounterId, t.OrderId, t.ItemId) = (encounterId, orderId, resultId);
        });

    private static async Task CancelItemTasks(TaskBatch tasks, Guid[] itemIds, IEvent e)
    {
        foreach (var item in itemIds)
            foreach (var kind in new[] { TaskKinds.CollectSample, TaskKinds.RecollectSample, TaskKinds.EnterResult })
                await tasks.Close(kind, item, TaskStatuses.Cancelled, e);
    }

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes([typeof(TaskClaimed), typeof(TaskUnclaimed), typeof(TaskCompletedByHand)]);
        opts.Projections.Add(new TaskProjection(), ProjectionLifecycle.Async, Name,
            async => async.DeleteViewTypeOnTeardown<WorkTask>());
        opts.Schema.For<WorkTask>().Index(x => x.FacilityId).Index(x => x.Status);
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

        public async Task Close(string kind, Guid subject, string status, IEvent e)
        {
            if (await Find(kind, subject) is not { IsOpen: true } task) return;
            task.Status = status;
            task.ClosedAt = e.Timestamp;
            task.ClosedBy = $"event:{e.EventTypeName}";
            Touch(task);
        }
    }
}
