using Encounters.Encounters;
using Encounters.Lab;

namespace Encounters.Chart;

// The chart composes what other modules own (the visit from Encounters, its orders from Lab), so neither reads the other.

public static class GetEncounterEndpoint
{
    public static ProblemDetails Validate(long? version, DateTimeOffset? asOf) =>
        Problems.Validation(version is < 1 ? new() { ["version"] = ["Must be 1 or more."] } : []);

    /// <summary>
    /// The encounter now, or exactly as it stood at <c>?version=</c> or <c>?asOf=</c> (what the clinician
    /// saw when they closed it), rebuilt from its events.
    /// </summary>
    [ReadsChart("encounter")]
    [WolverineGet("/api/encounters/{id}", Name = "GetEncounter"), Authorize(Actions.ReadEncounter)]
    public static async Task<EncounterView?> Get(Guid id, long? version, DateTimeOffset? asOf, IQuerySession session,
        CancellationToken ct)
    {
        var view = await EncounterViewSchema.LoadAsync(id, version, asOf, session, ct);
        if (view is null || version is not null || asOf is not null) return view;

        var orders = await session.QueryAsync(new OrdersOfEncounter { EncounterId = id }, ct);
        view.Orders = orders.Select(o => new OrderSummary(o.Id, ApiText.Of(o.Priority), o.OrderedAt,
            o.Items.Select(i => new OrderItemSummary(i.ItemId, i.ServiceCode, i.Name, i.State, i.ResultStatus,
                i.Critical)).ToList())).ToList();
        return view;
    }
}
