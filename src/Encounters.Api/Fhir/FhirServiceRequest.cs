using Encounters.Audit;
using Encounters.Lab;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR ServiceRequest: one per ordered test (id = the order item), from the order stream, its state as the Orders module's
/// LabOrder folds it: revoked once cancelled, else active (the result is its DiagnosticReport, based on this request).
/// </summary>
public static class FhirServiceRequest
{
    public static readonly FhirStream<LabOrder> Source = new("ServiceRequest",
        e => e is LabOrderPlaced p ? new StreamOwner(p.FacilityId, p.PatientId) : null, Map);

    private static readonly string[] Statuses = [.. Enum.GetValues<OrderStatus>().Select(s => ApiText.Of(s))];

    public static R4.ServiceRequest? Map(FhirFold<LabOrder> fold)
    {
        if (fold.Events[0].Data is not LabOrderPlaced placed || !Guid.TryParse(fold.Id, out var itemId)
            || placed.Items.FirstOrDefault(i => i.ItemId == itemId) is not { } item) return null;
        var request = new R4.ServiceRequest
        {
            Status = Status(fold.State.Items[itemId]),
            Intent = R4.RequestIntent.Order,
            Category = [new R4.CodeableConcept("http://snomed.info/sct", "108252007", "Laboratory procedure")],
            Priority = placed.Priority switch
            {
                OrderPriority.Stat => R4.RequestPriority.Stat,
                OrderPriority.Urgent => R4.RequestPriority.Urgent,
                _ => R4.RequestPriority.Routine,
            },
            Code = new R4.CodeableConcept("http://loinc.org", item.Loinc, item.Name, item.Name),
            Subject = FhirLinks.To("Patient", placed.PatientId),
            Encounter = FhirLinks.To("Encounter", placed.EncounterId),
            AuthoredOn = new R4.FhirDateTime(placed.OrderedAt).Value,
            Requester = FhirLinks.Staff(fold.Tenant, placed.OrderedBy, placed.OrderedByName),
            Requisition = new R4.Identifier(FhirLinks.System(fold.Tenant, "lab-order"), placed.OrderId.ToString()),
        };
        request.Code.Coding.Add(new R4.Coding(FhirLinks.System(fold.Tenant, "lab-test"), item.ServiceCode));
        if (placed.Note is { Length: > 0 } note) request.Note.Add(new R4.Annotation { Text = new R4.Markdown(note) });
        return request;
    }

    private static R4.RequestStatus Status(ItemState state) => state == ItemState.Cancelled ? R4.RequestStatus.Revoked : R4.RequestStatus.Active;

    /// <summary>The order stream that holds an item.</summary>
    private static async Task<Guid?> OrderOf(string id, IQuerySession session, CancellationToken ct) =>
        FhirLinks.StreamOf(id) is { } item
            ? (await OrderItemOwnerProjection.OrderOfAsync(item, session, ct))?.Id
            : null;

    /// <summary>An ordered test of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.service-request")]
    [WolverineGet("/fhir/ServiceRequest/{id}", Name = "ReadFhirServiceRequest"), Authorize(Actions.ReadOrder)]
    public static async Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await OrderOf(id, session, ct), id, null, session, scope, ct);

    /// <summary>The ordered test at one version of its order's stream.</summary>
    [ReadsChart("fhir.service-request")]
    [WolverineGet("/fhir/ServiceRequest/{id}/_history/{vid}", Name = "VreadFhirServiceRequest"), Authorize(Actions.ReadOrder)]
    public static async Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await OrderOf(id, session, ct), id, vid, session, scope, ct);

    /// <summary>Every version of the ordered test (one per version of its order's stream), newest first.</summary>
    [ReadsChart("fhir.service-request.history")]
    [WolverineGet("/fhir/ServiceRequest/{id}/_history", Name = "FhirServiceRequestHistory"), Authorize(Actions.ReadOrder)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        await Source.HistoryAsync(await OrderOf(id, session, ct), id, _count, _page, request, session, scope, ct);

    /// <summary>A patient's ordered tests in this facility (<c>patient</c> is required), by <c>status</c> (active, revoked).</summary>
    [ReadsChart("fhir.service-request.search")]
    [WolverineGet("/fhir/ServiceRequest", Name = "SearchFhirServiceRequests"), Authorize(Actions.ReadOrder)]
    public static async Task<FhirResponse> Search(string? patient, string? status, int? _count, int? _page, HttpRequest request,
        IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var (patientId, badPatient) = FhirLinks.Reference("patient", patient, "Patient");
        var (statuses, badStatus) = FhirLinks.Codes("status", status, Statuses);
        if ((FhirLinks.Unsupported(request, "patient", "status") ?? FhirPage.Error(_count, _page) ?? badPatient ?? badStatus
             ?? (patientId is null ? FhirResponse.Invalid("patient is required.") : null)) is { } refused)
            return refused;

        var orders = await session.Query<LabOrderView>().Where(o => o.FacilityId == scope.FacilityId && o.PatientId == patientId)
            .OrderByDescending(o => o.OrderedAt).ToListAsync(ct);
        var items = orders.SelectMany(o => o.Items.Select(i => (Order: o, Item: i)))
            .Where(x => statuses is null || statuses.Contains(ApiText.Of(x.Item.State == ItemState.Cancelled ? OrderStatus.Revoked : OrderStatus.Active))).ToList();
        var paging = FhirPage.Of(_count, _page);
        return await FhirSearch.PageAsync(Source, items.Skip(paging.Skip).Take(paging.Count)
            .Select(x => (x.Order.Id, x.Item.ItemId.ToString(), x.Order.PatientId)).ToList(), items.Count, paging, request, session, scope.TenantId, ct);
    }
}
