using Encounters.Encounters;

namespace Encounters.Lab;

public record CancelOrder(string? Reason);

public static class CancelOrderEndpoint
{
    public static ProblemDetails Validate(CancelOrder command, [WriteAggregate] LabOrder order, CurrentScope scope) =>
        Problems.Validation(Reasons.Errors(command.Reason))
            .Then(() => order.Items.Values.Any(s => s is ItemState.AwaitingCollection or ItemState.Collected)
                ? WolverineContinue.NoProblems
                : Problems.Conflict("order.not_cancellable", "Every item is already received or cancelled."));

    /// <summary>Cancels every item whose sample has not been received yet.</summary>
    [WolverinePost("/api/orders/{id}/cancel", Name = "CancelOrder"), Authorize(Actions.CancelOrder)]
    public static (LabOrderResponse, Events) Post(CancelOrder command, [WriteAggregate] LabOrder order, TimeProvider clock) =>
        order.Decided(new LabOrderCancelled(order.Id, order.EncounterId,
            order.ItemsIn(ItemState.AwaitingCollection).Concat(order.ItemsIn(ItemState.Collected)).ToArray(),
            command.Reason!.Trim(), clock.GetUtcNow()));
}

public static class CancelOrderItemEndpoint
{
    public static ProblemDetails Validate(Guid itemId, CancelOrder command, [WriteAggregate] LabOrder order, CurrentScope scope) =>
        (order.Items.ContainsKey(itemId) ? WolverineContinue.NoProblems : Problems.NotFound("Order item"))
            .Then(() => Problems.Validation(Reasons.Errors(command.Reason)))
            .Then(() => order.Items[itemId] is ItemState.AwaitingCollection or ItemState.Collected
                ? WolverineContinue.NoProblems
                : Problems.Conflict("order.item_not_cancellable", "The item's sample is already received, or it is cancelled.",
                    new { itemState = order.Items[itemId] }));

    /// <summary>Cancels one item, until its sample is received.</summary>
    [WolverinePost("/api/orders/{id}/items/{itemId}/cancel", Name = "CancelOrderItem"), Authorize(Actions.CancelOrder)]
    public static (LabOrderResponse, Events) Post(Guid itemId, CancelOrder command, [WriteAggregate] LabOrder order, TimeProvider clock) =>
        order.Decided(new LabOrderItemCancelled(order.Id, order.EncounterId, itemId, command.Reason!.Trim(), clock.GetUtcNow()));
}
