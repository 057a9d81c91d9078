using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Tasks;

/// <summary>A piece of work someone must do, opened and closed by the events of the workflow.</summary>
public sealed class WorkTask : Scope.IFacilityOwned
{
    public static string Resource => "Task";

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
    [ApiValues(typeof(TaskStatuses))] public string Status { get; set; } = TaskStatuses.Open;
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

    private static readonly System.Reflection.PropertyInfo[] Settable = typeof(WorkTask).GetProperties().Where(p => p.CanWrite).ToArray();

    /// <summary>Takes every value of a task opened afresh, so a reopened task keeps the one instance its batch tracks.</summary>
    public void Become(WorkTask fresh)
    {
        foreach (var property in Settable) property.SetValue(this, property.GetValue(fresh));
    }
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
