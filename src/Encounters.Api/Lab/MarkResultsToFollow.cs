
namespace Encounters.Lab;

public static class MarkResultsToFollowEndpoint
{
    /// <summary>
    /// The clinician will close the visit before the results arrive: the open items no longer hold the
    /// encounter's close gate, and their results are reviewed when released.
    /// </summary>
    [WolverinePost("/api/orders/{id}/results-to-follow", Name = "MarkResultsToFollow"), Authorize(Actions.PlaceOrder)]
    public static (LabOrderResponse, Events) Post([WriteAggregate] LabOrder order, TimeProvider clock) =>
        order.Decided(new LabResultsToFollowMarked(order.Id, order.EncounterId,
            order.Items.Where(i => i.Value != ItemState.Cancelled).Select(i => i.Key).ToArray(), clock.GetUtcNow()));
}
