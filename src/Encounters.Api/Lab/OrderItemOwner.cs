using JasperFx.Events.Projections;

namespace Encounters.Lab;

/// <summary>
/// Which order an item belongs to, keyed by the item id, so a result command finds its order by two primary-key reads.
/// It replaced a containment query (<c>data -> 'Items' @&gt;</c>) whose GIN index every order update rewrote for every
/// item field, and whose generic plan still scanned the tenant's whole primary key (docs/benchmarks.md).
/// </summary>
public sealed record OrderItemOwner(Guid Id, Guid OrderId);

/// <summary>Written with the order, in the same transaction.</summary>
public sealed partial class OrderItemOwnerProjection : Marten.Events.Projections.EventProjection
{
    public void Project(LabOrderPlaced e, IDocumentOperations ops)
    {
        foreach (var item in e.Items) ops.Store(new OrderItemOwner(item.ItemId, e.OrderId));
    }

    public static void Configure(StoreOptions opts) => opts.Projections.Add<OrderItemOwnerProjection>(ProjectionLifecycle.Inline);

    /// <summary>The item's order: two primary-key reads, whatever the number of orders (an unknown item is found in none).</summary>
    public static async Task<LabOrderView?> OrderOfAsync(Guid itemId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<OrderItemOwner>(itemId, ct) is { } owner ? await session.LoadAsync<LabOrderView>(owner.OrderId, ct) : null;
}
