using System.Text.Json.Serialization;

namespace Encounters.Lab;

/// <summary>Every event of the lab workflow names the order and the encounter it belongs to.</summary>
public interface ILabOrderEvent
{
    Guid OrderId { get; }
    Guid EncounterId { get; }
}

public record OrderedItem(Guid ItemId, string ServiceCode, string Loinc, string Name, string SpecimenType, string Container,
    int CatalogVersion);

// Events of the order stream (a FHIR ServiceRequest per item): facts, never changed once written.
public record LabOrderPlaced(Guid OrderId, Guid EncounterId, Guid PatientId, string FacilityId, OrderPriority Priority,
    OrderedItem[] Items, string? Note, string OrderedBy, string OrderedByName, DateTimeOffset OrderedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("order.placed", $"{ApiText.Of(Priority)} lab order: {string.Join(", ", Items.Select(i => i.ServiceCode))}");
}

public record LabOrderItemCancelled(Guid OrderId, Guid EncounterId, Guid ItemId, string Reason, DateTimeOffset CancelledAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("order.item-cancelled", $"Lab test cancelled: {Reason}");
}

/// <summary>The order's items that were not yet received are cancelled.</summary>
public record LabOrderCancelled(Guid OrderId, Guid EncounterId, Guid[] ItemIds, string Reason, DateTimeOffset CancelledAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("order.cancelled", $"Lab order cancelled: {Reason}");
}

public record LabOrderItemsCollected(Guid OrderId, Guid EncounterId, Guid SampleId, Guid[] ItemIds, string AccessionNumber,
    DateTimeOffset CollectedAt) : ILabOrderEvent;

public record LabOrderItemsReceived(Guid OrderId, Guid EncounterId, Guid SampleId, Guid[] ItemIds, DateTimeOffset ReceivedAt) : ILabOrderEvent;

/// <summary>The sample was rejected: its items wait for a new collection.</summary>
public record LabOrderItemsAwaitingRecollection(Guid OrderId, Guid EncounterId, Guid SampleId, Guid[] ItemIds, string Reason,
    DateTimeOffset RejectedAt) : ILabOrderEvent;

/// <summary>The clinician closes the visit before these results arrive; they will be reviewed afterwards.</summary>
public record LabResultsToFollowMarked(Guid OrderId, Guid EncounterId, Guid[] ItemIds, DateTimeOffset MarkedAt) : ILabOrderEvent, IVisitFact
{
    public TimelineLine Describe() => new("order.results-to-follow", "Lab results to follow after the visit");
}

/// <summary>What an order answers as its status: active while any item stands, revoked once every item is cancelled.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderStatus>))]
public enum OrderStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("revoked")] Revoked,
}

/// <summary>The order's write model: each item's place in the specimen lifecycle.</summary>
public sealed partial record LabOrder(Guid Id, Guid EncounterId, Guid PatientId, string FacilityId, OrderPriority Priority) : Scope.IFacilityScoped
{
    public static string Resource => "Order";

    public long Version { get; set; }
    public IReadOnlyDictionary<Guid, ItemState> Items { get; init; } = new Dictionary<Guid, ItemState>();
    public IReadOnlyDictionary<Guid, string> SpecimenTypes { get; init; } = new Dictionary<Guid, string>();
    public IReadOnlyDictionary<Guid, string> Containers { get; init; } = new Dictionary<Guid, string>();
    public IReadOnlySet<Guid> ResultsToFollow { get; init; } = new HashSet<Guid>();

    public static LabOrder Create(LabOrderPlaced e) => new(e.OrderId, e.EncounterId, e.PatientId, e.FacilityId, e.Priority)
    {
        Items = e.Items.ToDictionary(i => i.ItemId, _ => ItemState.AwaitingCollection),
        SpecimenTypes = e.Items.ToDictionary(i => i.ItemId, i => i.SpecimenType),
        Containers = e.Items.ToDictionary(i => i.ItemId, i => i.Container),
    };

    public LabOrder Apply(LabOrderItemCancelled e) => With([e.ItemId], ItemState.Cancelled);
    public LabOrder Apply(LabOrderCancelled e) => With(e.ItemIds, ItemState.Cancelled);
    public LabOrder Apply(LabOrderItemsCollected e) => With(e.ItemIds, ItemState.Collected);
    public LabOrder Apply(LabOrderItemsReceived e) => With(e.ItemIds, ItemState.Received);
    public LabOrder Apply(LabOrderItemsAwaitingRecollection e) => With(e.ItemIds, ItemState.AwaitingCollection);

    public LabOrder Apply(LabResultsToFollowMarked e) =>
        this with { ResultsToFollow = new HashSet<Guid>(ResultsToFollow.Concat(e.ItemIds)) };

    public IEnumerable<Guid> ItemsIn(ItemState state) => Items.Where(i => i.Value == state).Select(i => i.Key);

    private LabOrder With(IEnumerable<Guid> itemIds, ItemState state)
    {
        var items = new Dictionary<Guid, ItemState>(Items);
        foreach (var id in itemIds) items[id] = state;
        return this with { Items = items };
    }
}

/// <summary>One ordered test in an order command's answer: its id (for collection and results) and its state.</summary>
public record LabOrderItemState(Guid ItemId, ItemState State);

/// <summary>What an order command answers: the items as a list, in the order they were placed.</summary>
public record LabOrderResponse(Guid Id, Guid EncounterId, OrderStatus Status, IReadOnlyList<LabOrderItemState> Items, long Version)
    : Scope.IVersioned
{
    public static LabOrderResponse From(LabOrder order, long version) => new(order.Id, order.EncounterId,
        order.Items.Values.All(s => s == ItemState.Cancelled) ? OrderStatus.Revoked : OrderStatus.Active,
        [.. order.Items.Select(i => new LabOrderItemState(i.Key, i.Value))], version);
}

public static class LabOrderDecisions
{
    public static (LabOrderResponse, Wolverine.Marten.Events) Decided(this LabOrder order, params object[] events)
    {
        var next = events.Aggregate(order, (state, e) => state.After(e));
        return (LabOrderResponse.From(next, order.Version + events.Length), [.. events]);
    }
}

public static class LabOrderSchema
{
    public static void Configure(StoreOptions opts) => opts.Events.AddEventTypes([
        typeof(LabOrderPlaced), typeof(LabOrderItemCancelled), typeof(LabOrderCancelled), typeof(LabOrderItemsCollected),
        typeof(LabOrderItemsReceived), typeof(LabOrderItemsAwaitingRecollection), typeof(LabResultsToFollowMarked),
    ]);
}
