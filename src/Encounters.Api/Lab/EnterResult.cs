using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Lab;

public record EnterResult(Guid OrderItemId, AnalyteValue[]? Analytes, string? Comment);

public static class EnterResultEndpoint
{
    public static Task<ResultContext> LoadAsync(EnterResult command, IQuerySession session, CancellationToken ct) =>
        ResultContext.LoadAsync(command.OrderItemId, session, ct);

    public static ProblemDetails Validate(EnterResult command, ResultContext context,
        [WriteAggregate(nameof(EnterResult.OrderItemId), Required = false)] LabResult? result, CurrentScope scope) =>
        context.Missing()
            .Then(() => Problems.Validation(command.Comment is { Length: > 2000 }
                ? new() { ["comment"] = ["At most 2000 characters."] }
                : context.Errors(command.Analytes)))
            .Then(() => context.Item!.State switch
            {
                ItemState.Received => WolverineContinue.NoProblems,
                ItemState.Cancelled => Problems.Conflict("lab.item_cancelled", "The order item is cancelled."),
                _ => Problems.Conflict("lab.sample_not_received", "Results are entered only for a received sample.",
                    new { itemState = context.Item.State }),
            })
            .Then(() => result is null || result.Stage == ResultStage.Entered
                ? WolverineContinue.NoProblems
                : Problems.Conflict("lab.result_locked", "The result is verified; once released it can be corrected.",
                    new { stage = result.Stage.ToString().ToLowerInvariant() }));

    /// <summary>
    /// Enters a preliminary result for an order item, judged against the catalog (L/H, LL/HH = critical).
    /// Entering again before verification records a new preliminary version.
    /// </summary>
    [WolverinePost("/api/lab/results", Name = "EnterResult"), Authorize(Actions.EnterResult)]
    public static (Created<LabResultResponse>, Events) Post(EnterResult command, ResultContext context,
        [WriteAggregate(nameof(EnterResult.OrderItemId), Required = false)] LabResult? result, CurrentScope scope, TimeProvider clock)
    {
        var order = context.Order!;
        var analytes = context.Judge(command.Analytes!, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var entered = new ResultEntered(command.OrderItemId, order.Id, order.EncounterId, order.PatientId, order.FacilityId,
            context.Item!.SampleId!.Value, context.Test!.Id, context.Test.Name, (result?.ReportVersion ?? 0) + 1, analytes,
            analytes.Any(a => a.IsCritical), context.Test.Version, command.Comment?.Trim(), scope.UserId, order.OrderedBy, order.Priority,
            clock.GetUtcNow(), order.OrderedAt);

        var (response, events) = result is null
            ? (LabResultResponse.From(LabResult.Create(entered), 1), new Events([entered]))
            : result.Decided(entered);
        return (TypedResults.Created($"/api/lab/results/{command.OrderItemId}", response), events);
    }
}
