using System.Linq.Expressions;
using Marten.Linq;

namespace Encounters.Lab;

// Compiled queries (Marten parses the LINQ once per class, not on every call) for the order reads of every visit: the
// chart, the worklist and the task projection's close. The session's tenant filter is part of the compiled SQL.

/// <summary>An encounter's orders in the order they were placed (the encounter id index).</summary>
public sealed class OrdersOfEncounter : ICompiledListQuery<LabOrderView>
{
    public Guid EncounterId { get; set; }

    public Expression<Func<IMartenQueryable<LabOrderView>, IEnumerable<LabOrderView>>> QueryIs() =>
        orders => orders.Where(o => o.EncounterId == EncounterId).OrderBy(o => o.OrderedAt);
}

/// <summary>A facility's open orders: the worklist's rows (the partial index on the facility where Open).</summary>
public sealed class OpenOrdersOfFacility : ICompiledListQuery<LabOrderView>
{
    public string FacilityId { get; set; } = "";

    public Expression<Func<IMartenQueryable<LabOrderView>, IEnumerable<LabOrderView>>> QueryIs() =>
        orders => orders.Where(o => o.FacilityId == FacilityId && o.Open);
}
