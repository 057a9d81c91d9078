using JasperFx.Events.Projections;

namespace Encounters.Lab;

/// <summary>
/// Which order an item belongs to, keyed by the item id, so a result command finds its order by two primary-key reads.
/// The containment query it replaces (<c>data -> 'Items' @&gt;</c>) is indexed, but once Npgsql has prepared it PostgreSQL's
/// generic plan ANDs in a scan of the tenant's whole primary key, which grows with every order (docs/benchmarks.md).
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

    /// <summary>
    /// The item's order. Orders placed before this lookup existed have no owner row: they are found by the indexed
    /// containment query, as before.
    /// </summary>
    public static async Task<LabOrderView?> OrderOfAsync(Guid itemId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<OrderItemOwner>(itemId, ct) is { } owner
            ? await session.LoadAsync<LabOrderView>(owner.OrderId, ct)
            : await session.Query<LabOrderView>().Where(o => o.Items.Any(i => i.ItemId == itemId)).FirstOrDefaultAsync(ct);
}
