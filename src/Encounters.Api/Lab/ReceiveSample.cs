using JasperFx.Events;

namespace Encounters.Lab;

public record ReceiveSample(string? Barcode, DateTimeOffset? ReceivedAt);

/// <summary>
/// Receiving and rejecting change both the sample and its order (the items' place in the workflow),
/// so these commands load the two streams and append to both in one transaction; the
/// order stream is loaded under its row lock, so a concurrent cancellation or receipt waits its turn.
/// </summary>
public static class SampleAndOrder
{
    public static async Task<(IEventStream<Sample>?, IEventStream<LabOrder>?)> FetchForWriting(Guid sampleId,
        IDocumentSession session, CancellationToken ct)
    {
        var sample = await session.Events.FetchForWriting<Sample>(sampleId, ct);
        return sample.Aggregate is null
            ? (null, null)
            // The order's row is locked: concurrent receipts of one order's samples queue instead of racing.
            : (sample, await session.Events.FetchForExclusiveWriting<LabOrder>(sample.Aggregate.OrderId, ct));
    }

    public static ProblemDetails Guard(IEventStream<Sample>? sample, IEventStream<LabOrder>? order, CurrentScope scope) =>
        sample.Found().Then(() => LiveItems(sample!.Aggregate, order!.Aggregate).Length > 0
            ? WolverineContinue.NoProblems
            : Problems.Conflict("lab.item_cancelled", "Every item of this sample is cancelled: it is closed to lab work."));

    /// <summary>The sample's items that are not cancelled: lab work on a cancelled item would bring it back to life.</summary>
    public static Guid[] LiveItems(Sample sample, LabOrder order) =>
        sample.ItemIds.Where(id => order.Items.GetValueOrDefault(id) != ItemState.Cancelled).ToArray();
}

public static class ReceiveSampleEndpoint
{
    public static Task<(IEventStream<Sample>?, IEventStream<LabOrder>?)> LoadAsync(Guid id, IDocumentSession session,
        CancellationToken ct) => SampleAndOrder.FetchForWriting(id, session, ct);

    public static ProblemDetails Validate(ReceiveSample command, IEventStream<Sample>? sample, IEventStream<LabOrder>? order,
        CurrentScope scope, TimeProvider clock) =>
        SampleAndOrder.Guard(sample, order, scope)
            .Then(() => Problems.Validation(Errors(command, sample!.Aggregate, clock.GetUtcNow())))
            .Then(() => sample!.Aggregate.Status == SampleStatus.Collected
                ? WolverineContinue.NoProblems
                : Problems.Conflict("sample.not_receivable", $"The sample is already {sample.Aggregate.Status.ToString().ToLowerInvariant()}.",
                    new { currentStatus = sample.Aggregate.Status }));

    private static Dictionary<string, string[]> Errors(ReceiveSample command, Sample sample, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(command.Barcode)) errors["barcode"] = ["Scan the sample's barcode."];
        else if (!string.Equals(command.Barcode.Trim(), sample.Barcode, StringComparison.Ordinal))
            errors["barcode"] = ["The scanned barcode does not match this sample."];
        if (command.ReceivedAt is not { } at) errors["receivedAt"] = ["Required."];
        else if (at > now.AddMinutes(5)) errors["receivedAt"] = ["Not in the future."];
        return errors;
    }

    /// <summary>The lab has the specimen in hand, checked against its barcode: collected → received.</summary>
    [WolverinePost("/api/lab/samples/{id}/receive", Name = "ReceiveSample"), Authorize(Actions.ReceiveSample)]
    public static SampleResponse Post(ReceiveSample command, IEventStream<Sample> sample, IEventStream<LabOrder> order)
    {
        var s = sample.Aggregate;
        var received = new SpecimenReceived(s.Id, s.OrderId, s.EncounterId, command.ReceivedAt!.Value);
        sample.AppendOne(received);
        order.AppendOne(new LabOrderItemsReceived(s.OrderId, s.EncounterId, s.Id, SampleAndOrder.LiveItems(s, order.Aggregate),
            received.ReceivedAt));
        return SampleResponse.From(s.Apply(received), s.Version + 1);
    }
}
