using System.Linq.Expressions;
using Encounters.Audit;
using JasperFx.Events;
using Marten.Linq;

namespace Encounters.Tasks;

public record TaskView(WorkTask Task, bool Overdue)
{
    /// <summary>Whose chart the task is about (read auditing), not part of the response.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public Guid EncounterId => Task.EncounterId;

    public static TaskView Of(WorkTask task, DateTimeOffset now) => new(task, task.IsOpen && task.DueAt < now);
}

public static class ListTasksEndpoint
{
    public static ProblemDetails Validate(string? status, int? page, int? pageSize, string? after)
    {
        var errors = Paging.Errors(page, pageSize, after);
        if (status is not (null or TaskStatuses.Open or TaskStatuses.Completed or TaskStatuses.Cancelled))
            errors["status"] = ["open, completed or cancelled."];
        return Problems.Validation(errors);
    }

    /// <summary>The facility's tasks, open ones by default: urgent first, then oldest.</summary>
    [ReadsChart("task.list")]
    [WolverineGet("/api/tasks", Name = "ListTasks"), Authorize(Actions.ReadTasks)]
    public static async Task<Page<TaskView>> Get(string? role, string? assignee, string? status, bool? overdue, int? page,
        int? pageSize, string? after, bool? count, IQuerySession session, CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var wanted = status ?? TaskStatuses.Open;
        var query = session.Query<WorkTask>().Where(t => t.FacilityId == scope.FacilityId && t.Status == wanted);
        var filtered = !string.IsNullOrWhiteSpace(role) || !string.IsNullOrWhiteSpace(assignee) || overdue == true;
        if (!string.IsNullOrWhiteSpace(role)) query = query.Where(t => t.Role == role);
        if (!string.IsNullOrWhiteSpace(assignee)) query = query.Where(t => t.AssigneeUserId == assignee || t.ClaimedBy == assignee);
        if (overdue == true) query = query.Where(t => t.DueAt != null && t.DueAt < now);
        var tasks = await query.OrderBy(t => t.PriorityRank).ThenBy(t => t.CreatedAt).PageAsync(page, pageSize, ct, after, count,
            filtered ? null : async rows => (await session.QueryAsync(new FirstTasks { FacilityId = scope.FacilityId, Status = wanted, Rows = rows }, ct)).ToList());
        return tasks.Select(t => TaskView.Of(t, now));
    }

    /// <summary>The first page of a facility's tasks of one status, unfiltered, compiled: the list every role keeps open.</summary>
    public sealed class FirstTasks : ICompiledListQuery<WorkTask>
    {
        public string FacilityId { get; set; } = "";
        public string Status { get; set; } = "";
        public int Rows { get; set; }

        public Expression<Func<IMartenQueryable<WorkTask>, IEnumerable<WorkTask>>> QueryIs() =>
            tasks => tasks.Where(t => t.FacilityId == FacilityId && t.Status == Status)
                .OrderBy(t => t.PriorityRank).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id).Take(Rows);
    }
}

/// <summary>Who holds a task, as decided by its own stream (the task list is a projection and may trail by a moment).</summary>
public sealed partial record TaskHold(Guid Id, string? ClaimedBy, bool CompletedByHand)
{
    public long Version { get; set; }

    public static TaskHold Create(TaskClaimed e) => new(e.TaskId, e.UserId, false);
    public static TaskHold Create(TaskCompletedByHand e) => new(e.TaskId, null, true);
    public TaskHold Apply(TaskClaimed e) => this with { ClaimedBy = e.UserId };
    public TaskHold Apply(TaskUnclaimed _) => this with { ClaimedBy = null };
    public TaskHold Apply(TaskCompletedByHand _) => this with { CompletedByHand = true };
}

/// <summary>The checks every hand action on a task shares.</summary>
public static class TaskRules
{
    public static async Task<(WorkTask?, IEventStream<TaskHold>)> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        (await session.LoadAsync<WorkTask>(id, ct), await session.Events.FetchForWriting<TaskHold>(id, ct));

    public static ProblemDetails MayWork(WorkTask? task, IEventStream<TaskHold> hold, CurrentScope scope)
    {
        if (!scope.IsHere(task)) return Problems.NotFound("Task");
        if (!task.IsOpen || hold.Aggregate?.CompletedByHand == true)
            return Problems.Conflict("task.closed", $"The task is {task.Status}.");
        var roles = Claims.Roles(scope.User);
        if (!roles.Contains(task.Role) || (task.AssigneeUserId is { } assignee && assignee != scope.UserId))
            return Forbidden("The task belongs to another role or person.");
        if (task.ExcludedUserId == scope.UserId) return Forbidden("Four eyes: you entered the result this task verifies.");
        return WolverineContinue.NoProblems;
    }

    public static ProblemDetails Forbidden(string title) =>
        new() { Status = 403, Title = title, Extensions = { ["code"] = "task.not_yours" } };
}

public static class ClaimTaskEndpoint
{
    public static Task<(WorkTask?, IEventStream<TaskHold>)> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        TaskRules.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(WorkTask? task, IEventStream<TaskHold> hold, CurrentScope scope) =>
        TaskRules.MayWork(task, hold, scope).Then(() => hold.Aggregate?.ClaimedBy is { } holder && holder != scope.UserId
            ? Problems.Conflict("task.claimed", "Someone else has claimed this task.", new { claimedBy = holder })
            : WolverineContinue.NoProblems);

    [WolverinePost("/api/tasks/{id}/claim", Name = "ClaimTask"), Authorize(Actions.WorkTasks)]
    public static TaskView Post([NotBody] WorkTask task, IEventStream<TaskHold> hold, CurrentScope scope, TimeProvider clock)
    {
        hold.AppendOne(new TaskClaimed(task.Id, scope.UserId, clock.GetUtcNow()));
        task.ClaimedBy = scope.UserId;
        return TaskView.Of(task, clock.GetUtcNow());
    }
}

public static class ReleaseTaskEndpoint
{
    public static Task<(WorkTask?, IEventStream<TaskHold>)> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        TaskRules.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(WorkTask? task, IEventStream<TaskHold> hold, CurrentScope scope) =>
        TaskRules.MayWork(task, hold, scope).Then(() => hold.Aggregate?.ClaimedBy == scope.UserId
            ? WolverineContinue.NoProblems
            : Problems.Conflict("task.not_claimed", "You have not claimed this task."));

    /// <summary>Gives a claimed task back to the role's list.</summary>
    [WolverinePost("/api/tasks/{id}/release", Name = "ReleaseTask"), Authorize(Actions.WorkTasks)]
    public static TaskView Post([NotBody] WorkTask task, IEventStream<TaskHold> hold, CurrentScope scope, TimeProvider clock)
    {
        hold.AppendOne(new TaskUnclaimed(task.Id, scope.UserId, clock.GetUtcNow()));
        task.ClaimedBy = null;
        return TaskView.Of(task, clock.GetUtcNow());
    }
}

public record CompleteTask(string? Note);

public static class CompleteTaskEndpoint
{
    public static Task<(WorkTask?, IEventStream<TaskHold>)> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        TaskRules.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(CompleteTask command, WorkTask? task, IEventStream<TaskHold> hold, CurrentScope scope) =>
        TaskRules.MayWork(task, hold, scope)
            .Then(() => task!.ManualCompletion
                ? WolverineContinue.NoProblems
                : Problems.Conflict("task.completed_by_events", "This task completes itself when the work is recorded."))
            .Then(() => Problems.Validation(command.Note is { Length: > 1000 } ? new() { ["note"] = ["At most 1000 characters."] } : []));

    /// <summary>Completes a task that no event will complete (reviewing a released result).</summary>
    [WolverinePost("/api/tasks/{id}/complete", Name = "CompleteTask"), Authorize(Actions.WorkTasks)]
    public static TaskView Post(CompleteTask command, [NotBody] WorkTask task, IEventStream<TaskHold> hold, CurrentScope scope,
        TimeProvider clock)
    {
        hold.AppendOne(new TaskCompletedByHand(task.Id, scope.UserId, command.Note?.Trim(), clock.GetUtcNow()));
        task.Status = TaskStatuses.Completed;
        task.ClosedBy = scope.UserId;
        return TaskView.Of(task, clock.GetUtcNow());
    }
}
