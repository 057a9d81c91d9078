using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Tasks;
using Marten.Pagination;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR Task from the task list (a projection over the workflow's events). Version 1 is the task as the workflow opened it; each
/// hand action on its own stream (claim, unclaim, completion) adds one. The projection keeps only the current state, so vread and
/// _history serve the current version alone.
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

    private static async Task<(R4.Task Resource, Guid? Patient)> MapAsync(WorkTask task, IQuerySession session, string tenant, CancellationToken ct)
    {
        var visit = task.EncounterId == Guid.Empty ? null : await EncounterSummary.LoadAsync(task.EncounterId, session, ct);
        var hold = await session.Events.FetchStreamStateAsync(task.Id, ct);
        var resource = new R4.Task
        {
            Id = task.Id.ToString(),
            Meta = new R4.Meta { VersionId = (1 + (hold?.Version ?? 0)).ToString(), LastUpdated = task.ClosedAt ?? hold?.LastTimestamp ?? task.CreatedAt },
            Status = Enum.Parse<R4.Task.TaskStatus>(Statuses.First(s => s.Value(task)).Key.Replace("-", ""), ignoreCase: true),
            Intent = R4.Task.TaskIntent.Order,
            Priority = task.Priority switch { "stat" => R4.RequestPriority.Stat, "urgent" => R4.RequestPriority.Urgent, _ => R4.RequestPriority.Routine },
            Code = new R4.CodeableConcept(FhirLinks.System(tenant, "task-kind"), task.Kind, task.Title),
            Description = task.Title,
            AuthoredOn = new R4.FhirDateTime(task.CreatedAt).Value,
            Restriction = task.DueAt is { } due ? new R4.Task.RestrictionComponent { Period = new R4.Period { End = new R4.FhirDateTime(due).Value } } : null,
            Owner = task.ClaimedBy is { } owner ? FhirLinks.Staff(tenant, owner, null) : null,
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

    /// <summary>The task at a version: only its current version is kept.</summary>
    [ReadsChart("fhir.task")]
    [WolverineGet("/fhir/Task/{id}/_history/{vid}", Name = "VreadFhirTask"), Authorize(Actions.ReadTasks)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, vid, session, scope, ct);

    /// <summary>The task's versions: its current one.</summary>
    [ReadsChart("fhir.task.history")]
    [WolverineGet("/fhir/Task/{id}/_history", Name = "FhirTaskHistory"), Authorize(Actions.ReadTasks)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        FhirHistory.Single(await ReadAsync(id, null, session, scope, ct), request, _count, _page);

    private static async Task<FhirResponse> ReadAsync(string id, string? vid, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        if (FhirLinks.StreamOf(id) is not { } taskId || await session.LoadAsync<WorkTask>(taskId, ct) is not { } task
            || task.FacilityId != scope.FacilityId)
            return FhirResponse.NotFound("Task", id);
        var (resource, patient) = await MapAsync(task, session, scope.TenantId, ct);
        return vid is not null && vid != resource.Meta.VersionId
            ? FhirResponse.NotFound("Task", $"{id}/_history/{vid}")
            : new FhirResponse(resource, patients: patient is { } p ? [p] : []);
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
        foreach (var task in found.Items) page.Add(await MapAsync(task, session, scope.TenantId, ct));
        return new FhirResponse(paging.Bundle(request, R4.Bundle.BundleType.Searchset, page.Select(t => FhirSearch.Match(request, t.Resource)),
            found.Total, found.HasMore, found.Next), patients: page.Where(t => t.Patient is not null).Select(t => t.Patient!.Value).Distinct().ToList());
    }
}
