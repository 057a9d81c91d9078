using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Tasks;
using Marten.Pagination;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR Task from the task list (a projection over the workflow's events). A task's versions are its events: version 1 is the
/// workflow event that opened it (at the task's creation time), then each event of the task's own stream (claim, unclaim,
/// completion by hand) in order, and last the workflow event that closed it (at its closing time). The facts that open and
/// close a task live on the streams they are about (the order's, the sample's), so their times are read from the task, which
/// keeps them; hand actions after the task closed change nothing (the projection ignores them) and are no version.
/// </summary>
public static class FhirTask
{
    private static readonly Dictionary<string, Func<WorkTask, bool>> Statuses = new()
    {
        ["requested"] = t => t.IsOpen && t.ClaimedBy is null,
        ["in-progress"] = t => t.IsOpen && t.ClaimedBy is not null,
        ["completed"] = t => t.Status == TaskStatuses.Completed,
        ["cancelled"] = t => t.Status == TaskStatuses.Cancelled,
    };

    /// <summary>One version: the task's status and owner from one event on, and that event's time.</summary>
    private sealed record TaskVersion(int Number, string Status, string? Owner, DateTimeOffset At);

    private static async Task<List<TaskVersion>> VersionsAsync(WorkTask task, IQuerySession session, CancellationToken ct)
    {
        var versions = new List<TaskVersion> { new(1, "requested", null, task.CreatedAt) };
        foreach (var e in await session.Events.FetchStreamAsync(task.Id, token: ct))
        {
            var last = versions[^1];
            // The projection closes a task from a workflow event as "event:<type>" at that event's time; later hand actions are ignored.
            if (last.Status == "completed" || task.ClosedBy?.StartsWith("event:") == true && e.Timestamp > task.ClosedAt) break;
            var next = e.Data switch
            {
                TaskClaimed claimed => last with { Status = "in-progress", Owner = claimed.UserId },
                TaskUnclaimed => last with { Status = "requested", Owner = null },
                TaskCompletedByHand => last with { Status = "completed" },
                _ => last,
            };
            versions.Add(next with { Number = last.Number + 1, At = e.Timestamp });
        }
        var current = Statuses.First(s => s.Value(task)).Key;
        if (versions[^1].Status != current)
            versions.Add(versions[^1] with { Number = versions[^1].Number + 1, Status = current, At = task.ClosedAt ?? versions[^1].At });
        return versions;
    }

    private static async Task<(R4.Task Resource, Guid? Patient)> MapAsync(WorkTask task, TaskVersion version, IQuerySession session, string tenant,
        CancellationToken ct)
    {
        var visit = task.EncounterId == Guid.Empty ? null : await EncounterSummary.LoadAsync(task.EncounterId, session, ct);
        var resource = new R4.Task
        {
            Id = task.Id.ToString(),
            Meta = new R4.Meta { VersionId = version.Number.ToString(), LastUpdated = version.At },
            Status = Enum.Parse<R4.Task.TaskStatus>(version.Status.Replace("-", ""), ignoreCase: true),
            Intent = R4.Task.TaskIntent.Order,
            Priority = task.Priority switch { "stat" => R4.RequestPriority.Stat, "urgent" => R4.RequestPriority.Urgent, _ => R4.RequestPriority.Routine },
            Code = new R4.CodeableConcept(FhirLinks.System(tenant, "task-kind"), task.Kind, task.Title),
            Description = task.Title,
            AuthoredOn = new R4.FhirDateTime(task.CreatedAt).Value,
            Restriction = task.DueAt is { } due ? new R4.Task.RestrictionComponent { Period = new R4.Period { End = new R4.FhirDateTime(due).Value } } : null,
            Owner = version.Owner is { } owner ? FhirLinks.Staff(tenant, owner, null) : null,
            For = visit is null ? null : FhirLinks.To("Patient", visit.PatientId),
            Encounter = visit is null ? null : FhirLinks.To("Encounter", visit.Id),
            Focus = Focus(task),
        };
        if (task.Role is { Length: > 0 } role) resource.PerformerType.Add(new R4.CodeableConcept { Text = role });
        return (resource, visit?.PatientId);
    }

    /// <summary>What the task is about, where that is a resource served here (a result exists only once entered).</summary>
    private static R4.ResourceReference? Focus(WorkTask task) => task switch
    {
        { Kind: TaskKinds.VerifyResult or TaskKinds.ReviewResult or TaskKinds.AcknowledgeCritical, ItemId: { } result } => FhirLinks.To("DiagnosticReport", result),
        { Kind: TaskKinds.ReceiveSample, SampleId: { } sample } => FhirLinks.To("Specimen", sample),
        { ItemId: { } item } => FhirLinks.To("ServiceRequest", item),
        _ => null,
    };

    /// <summary>A task of this facility.</summary>
    [ReadsChart("fhir.task")]
    [WolverineGet("/fhir/Task/{id}", Name = "ReadFhirTask"), Authorize(Actions.ReadTasks)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, null, session, scope, ct);

    /// <summary>The task at one of its versions.</summary>
    [ReadsChart("fhir.task")]
    [WolverineGet("/fhir/Task/{id}/_history/{vid}", Name = "VreadFhirTask"), Authorize(Actions.ReadTasks)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, vid, session, scope, ct);

    /// <summary>Every version of the task, newest first: opened, each claim, unclaim or completion by hand, closed by the workflow.</summary>
    [ReadsChart("fhir.task.history")]
    [WolverineGet("/fhir/Task/{id}/_history", Name = "FhirTaskHistory"), Authorize(Actions.ReadTasks)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        if (FhirPage.Error(_count, _page) is { } invalid) return invalid;
        if (await FindAsync(id, session, scope, ct) is not { } task) return FhirResponse.NotFound("Task", id);
        var versions = new List<R4.Resource>();
        Guid? patient = null;
        foreach (var version in Enumerable.Reverse(await VersionsAsync(task, session, ct)))
        {
            (var resource, patient) = await MapAsync(task, version, session, scope.TenantId, ct);
            versions.Add(resource);
        }
        return FhirHistory.Of(versions, request, _count, _page, patient is { } p ? [p] : []);
    }

    private static async Task<WorkTask?> FindAsync(string id, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var task = FhirLinks.StreamOf(id) is { } taskId ? await session.LoadAsync<WorkTask>(taskId, ct) : null;
        return scope.IsHere(task) ? task : null;
    }

    private static async Task<FhirResponse> ReadAsync(string id, string? vid, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        if (await FindAsync(id, session, scope, ct) is not { } task) return FhirResponse.NotFound("Task", id);
        var versions = await VersionsAsync(task, session, ct);
        if ((vid is null ? versions[^1] : versions.FirstOrDefault(v => v.Number.ToString() == vid)) is not { } version)
            return FhirResponse.NotFound("Task", $"{id}/_history/{vid}");
        var (resource, patient) = await MapAsync(task, version, session, scope.TenantId, ct);
        return new FhirResponse(resource, patients: patient is { } p ? [p] : []);
    }

    /// <summary>Tasks of this facility by <c>patient</c> and <c>status</c> (requested, in-progress, completed, cancelled).</summary>
    [ReadsChart("fhir.task.search")]
    [WolverineGet("/fhir/Task", Name = "SearchFhirTasks"), Authorize(Actions.ReadTasks)]
    public static async Task<FhirResponse> Search(string? patient, string? status, int? _count, int? _page, HttpRequest request,
        IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var (patientId, badPatient) = FhirLinks.Reference("patient", patient, "Patient");
        var (statuses, badStatus) = FhirLinks.Codes("status", status, Statuses.Keys);
        if ((FhirLinks.Unsupported(request, "patient", "status") ?? FhirPage.Error(_count, _page, request) ?? badPatient ?? badStatus) is { } refused)
            return refused;

        var query = session.Query<WorkTask>().Where(t => t.FacilityId == scope.FacilityId);
        if (patientId is { } p)
        {
            var visits = await session.Query<EncounterView>().Where(e => e.FacilityId == scope.FacilityId && e.PatientId == p)
                .Select(e => e.Id).ToListAsync(ct);
            var ids = visits.ToArray();
            query = query.Where(t => t.EncounterId.IsOneOf(ids));
        }
        if (statuses is not null)
        {
            var stored = statuses.Select(s => s is "requested" or "in-progress" ? TaskStatuses.Open : s).Distinct().ToArray();
            query = query.Where(t => stored.Contains(t.Status));
            if (!statuses.Contains("requested")) query = query.Where(t => t.Status != TaskStatuses.Open || t.ClaimedBy != null);
            if (!statuses.Contains("in-progress")) query = query.Where(t => t.Status != TaskStatuses.Open || t.ClaimedBy == null);
        }

        var paging = FhirPage.Of(_count, _page, request);
        var found = await paging.Read(query.OrderBy(t => t.CreatedAt).ThenBy(t => t.Id), ct);
        var page = new List<(R4.Task Resource, Guid? Patient)>();
        foreach (var task in found.Items) page.Add(await MapAsync(task, (await VersionsAsync(task, session, ct))[^1], session, scope.TenantId, ct));
        return new FhirResponse(paging.Bundle(request, R4.Bundle.BundleType.Searchset, page.Select(t => FhirSearch.Match(request, t.Resource)),
            found.Total, found.HasMore, found.Next), patients: page.Where(t => t.Patient is not null).Select(t => t.Patient!.Value).Distinct().ToList());
    }
}
