using Encounters.Audit;
using System.Text.Json.Serialization;
using Encounters.Lab;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Lab;

/// <summary>One ordered test as the clinic and the lab follow it, with its turnaround timestamps.</summary>
public sealed class OrderItemView
{
    public Guid ItemId { get; set; }
    public string ServiceCode { get; set; } = "";
    public string Loinc { get; set; } = "";
    public string Name { get; set; } = "";
    public string SpecimenType { get; set; } = "";
    public ItemState State { get; set; }

    /// <summary>FHIR DiagnosticReport.status: registered (no result yet), preliminary, final, corrected, cancelled.</summary>
    [ApiValues(typeof(DiagnosticReportStatus))] public string ResultStatus { get; set; } = "registered";

    [ApiValues(typeof(ResultStage))] public string? ResultStage { get; set; }
    public bool ResultsToFollow { get; set; }
    public bool Critical { get; set; }
    public bool CriticalAcknowledged { get; set; }
    public Guid? SampleId { get; set; }
    public string? AccessionNumber { get; set; }
    public DateTimeOffset OrderedAt { get; set; }
    public DateTimeOffset? CollectedAt { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
    public DateTimeOffset? ResultedAt { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public string? EnteredBy { get; set; }
}

/// <summary>An order with all its items, kept inline from the order's and its results' events.</summary>
public sealed class LabOrderView : Scope.IPatientChart
{
    public static string Resource => "Order";

    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public Guid EncounterId { get; set; }
    public Guid PatientId { get; set; }
    public OrderPriority Priority { get; set; }
    public string? Note { get; set; }
    public string OrderedBy { get; set; } = "";
    public string OrderedByName { get; set; } = "";
    public DateTimeOffset OrderedAt { get; set; }
    public List<OrderItemView> Items { get; set; } = [];

    /// <summary>Some item still needs lab work (for the worklists).</summary>
    public bool Open { get; set; }

    public OrderItemView? Item(Guid itemId) => Items.FirstOrDefault(i => i.ItemId == itemId);
}

public sealed partial class LabOrderViewProjection : MultiStreamProjection<LabOrderView, Guid>
{
    public LabOrderViewProjection()
    {
        Identity<ILabOrderEvent>(e => e.OrderId);
    }

    public LabOrderView Create(LabOrderPlaced e) => new()
    {
        Id = e.OrderId, FacilityId = e.FacilityId, EncounterId = e.EncounterId, PatientId = e.PatientId, Priority = e.Priority,
        Note = e.Note, OrderedBy = e.OrderedBy, OrderedByName = e.OrderedByName, OrderedAt = e.OrderedAt, Open = true,
        Items = e.Items.Select(i => new OrderItemView
        {
            ItemId = i.ItemId, ServiceCode = i.ServiceCode, Loinc = i.Loinc, Name = i.Name, SpecimenType = i.SpecimenType,
            State = ItemState.AwaitingCollection, OrderedAt = e.OrderedAt,
        }).ToList(),
    };

    public void Apply(LabOrderItemCancelled e, LabOrderView view) => Cancel(view, [e.ItemId], e.CancelledAt);
    public void Apply(LabOrderCancelled e, LabOrderView view) => Cancel(view, e.ItemIds, e.CancelledAt);

    public void Apply(LabOrderItemsCollected e, LabOrderView view) => Each(view, e.ItemIds, i =>
    {
        i.State = ItemState.Collected;
        i.SampleId = e.SampleId;
        i.AccessionNumber = e.AccessionNumber;
        i.CollectedAt = e.CollectedAt;
    });

    public void Apply(LabOrderItemsReceived e, LabOrderView view) => Each(view, e.ItemIds, i =>
    {
        i.State = ItemState.Received;
        i.ReceivedAt = e.ReceivedAt;
    });

    public void Apply(LabOrderItemsAwaitingRecollection e, LabOrderView view) => Each(view, e.ItemIds, i =>
    {
        i.State = ItemState.AwaitingCollection;
        i.SampleId = null;
        i.AccessionNumber = null;
        i.CollectedAt = null;
    });

    public void Apply(LabResultsToFollowMarked e, LabOrderView view) => Each(view, e.ItemIds, i => i.ResultsToFollow = true);

    public void Apply(ResultEntered e, LabOrderView view) => Each(view, [e.ResultId], i =>
    {
        i.ResultStatus = "preliminary";
        i.ResultStage = "entered";
        i.ResultedAt = e.EnteredAt;
        i.EnteredBy = e.EnteredBy;
    });

    public void Apply(ResultVerified e, LabOrderView view) => Each(view, [e.ResultId], i =>
    {
        i.ResultStage = "verified";
        i.VerifiedAt = e.VerifiedAt;
    });

    public void Apply(ResultReleased e, LabOrderView view) => Each(view, [e.ResultId], i =>
    {
        i.ResultStatus = e.Corrected ? "corrected" : "final";
        i.ResultStage = "released";
        i.ReleasedAt ??= e.ReleasedAt;
        i.Critical = e.Critical;
        i.CriticalAcknowledged = false;
    });

    public void Apply(CriticalResultAcknowledged e, LabOrderView view) => Each(view, [e.ResultId], i => i.CriticalAcknowledged = true);

    public void Apply(ResultCorrected e, LabOrderView view) => Each(view, [e.ResultId], i =>
    {
        i.ResultStage = "entered";
        i.EnteredBy = e.EnteredBy;
    });

    private static void Cancel(LabOrderView view, Guid[] itemIds, DateTimeOffset at) => Each(view, itemIds, i =>
    {
        i.State = ItemState.Cancelled;
        i.ResultStatus = "cancelled";
        i.CancelledAt = at;
    });

    private static void Each(LabOrderView view, Guid[] itemIds, Action<OrderItemView> change)
    {
        foreach (var item in view.Items.Where(i => itemIds.Contains(i.ItemId))) change(item);
        view.Open = view.Items.Any(i => i.State != ItemState.Cancelled && i.ResultStage != "released");
    }

    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<LabOrderViewProjection>(ProjectionLifecycle.Inline);
        OrderItemOwnerProjection.Configure(opts);
        // Indexed for each query that would otherwise scan every order the tenant ever had (EXPLAIN in docs/benchmarks.md):
        // the open orders of a facility (partial: only open ones are indexed, so it stays small), and a facility's orders
        // by date (turnaround; it also serves facility alone). An item's order is the OrderItemOwner lookup.
        // PerTenant adds tenant_id to the index: otherwise the planner ANDs in a scan of the tenant's whole primary key.
        IndexedColumns.Store<LabOrderView>(opts, x => x.EncounterId, x => x.FacilityId, x => x.OrderedAt, x => x.Open);
        opts.Schema.For<LabOrderView>()
            .Index(x => x.EncounterId)
            .Index([x => x.FacilityId, x => x.OrderedAt], i => i.TenancyScope = Marten.Schema.Indexing.Unique.TenancyScope.PerTenant)
            .Index(x => x.FacilityId, i =>
            {
                i.Name = "mt_doc_laborderview_idx_open_facility_id";
                i.TenancyScope = Marten.Schema.Indexing.Unique.TenancyScope.PerTenant;
                i.Predicate = "open = true"; // as PostgreSQL prints it, so startup sees no change
            });
    }
}

public static class LabOrderViewEndpoints
{
    [ReadsChart("order")]
    [WolverineGet("/api/orders/{id}", Name = "GetOrder"), Authorize(Actions.ReadOrder)]
    public static Task<LabOrderView?> Get(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<LabOrderView>(id, ct);

    [ReadsChart("encounter.orders")]
    [WolverineGet("/api/encounters/{id}/orders", Name = "ListEncounterOrders"), Authorize(Actions.ReadOrder)]
    public static async Task<IReadOnlyList<LabOrderView>> ForEncounter(Guid id, IQuerySession session, CurrentScope scope,
        CancellationToken ct) =>
        await session.Query<LabOrderView>()
            .Where(o => o.EncounterId == id && o.FacilityId == scope.FacilityId)
            .OrderBy(o => o.OrderedAt)
            .ToListAsync(ct);
}
