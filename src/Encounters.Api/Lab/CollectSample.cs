using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Lab;

public record CollectSample(Guid OrderId, Guid[]? ItemIds, DateTimeOffset? CollectedAt);

public static class CollectSampleEndpoint
{
    public static ProblemDetails Validate(CollectSample command, [WriteAggregate(nameof(CollectSample.OrderId))] LabOrder order,
        CurrentScope scope, TimeProvider clock) =>
        Problems.Validation(Errors(command, order, clock.GetUtcNow()))
            .Then(() => command.ItemIds!.All(id => order.Items[id] == ItemState.AwaitingCollection)
                ? WolverineContinue.NoProblems
                : Problems.Conflict("sample.items_not_awaiting_collection", "Every item must be awaiting collection.",
                    new { items = command.ItemIds!.ToDictionary(id => id, id => order.Items[id]) }));

    private static Dictionary<string, string[]> Errors(CollectSample command, LabOrder order, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.ItemIds is not { Length: > 0 }) errors["itemIds"] = ["At least one item of the order."];
        else if (command.ItemIds.Any(id => !order.Items.ContainsKey(id))) errors["itemIds"] = ["Every item must belong to the order."];
        else if (command.ItemIds.Select(id => order.SpecimenTypes[id]).Distinct().Count() > 1)
            errors["itemIds"] = ["Items in one sample need the same specimen type."];
        else if (command.ItemIds.Distinct().Count() != command.ItemIds.Length) errors["itemIds"] = ["Each item once."];
        if (command.CollectedAt is not { } at) errors["collectedAt"] = ["Required."];
        else if (at > now.AddMinutes(5) || at < now.AddDays(-7)) errors["collectedAt"] = ["Within the last 7 days, not in the future."];
        return errors;
    }

    /// <summary>
    /// Collects a specimen for items of one order. The accession number is
    /// <c>FACILITY-yyyyMMdd-NNNN</c>, gap-free per facility and day, and is also the barcode text.
    /// </summary>
    [WolverinePost("/api/lab/samples", Name = "CollectSample"), Authorize(Actions.CollectSample)]
    public static async Task<(Created<SampleResponse>, Events, IStartStream)> Post(CollectSample command,
        [WriteAggregate(nameof(CollectSample.OrderId))] LabOrder order, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var today = clock.GetUtcNow().ToString("yyyyMMdd");
        var number = await Sequences.NextAsync(session, $"accession:{order.FacilityId}:{today}", ct);
        var accession = $"{order.FacilityId.ToUpperInvariant()}-{today}-{number:D4}";
        var sampleId = Guid.CreateVersion7();
        var itemIds = command.ItemIds!;
        var collected = new SpecimenCollected(sampleId, order.Id, order.EncounterId, order.PatientId, order.FacilityId, itemIds,
            order.SpecimenTypes[itemIds[0]], Container(order, itemIds[0]), accession, accession, command.CollectedAt!.Value);
        var sample = Sample.Create(collected);

        return (TypedResults.Created($"/api/lab/samples/{sampleId}", SampleResponse.From(sample, 1)),
            [new LabOrderItemsCollected(order.Id, order.EncounterId, sampleId, itemIds, accession, collected.CollectedAt)],
            MartenOps.StartStream<Sample>(sampleId, collected));
    }

    private static string Container(LabOrder order, Guid itemId) => order.Containers.GetValueOrDefault(itemId, "");
}
