using JasperFx.Events;

namespace Encounters.Lab;

public record RejectSample(RejectionReason? Reason, string? Note);

public static class RejectSampleEndpoint
{
    public static Task<(IEventStream<Sample>?, IEventStream<LabOrder>?)> LoadAsync(Guid id, IDocumentSession session,
        CancellationToken ct) => SampleAndOrder.FetchForWriting(id, session, ct);

    public static ProblemDetails Validate(RejectSample command, IEventStream<Sample>? sample, IEventStream<LabOrder>? order,
        CurrentScope scope) =>
        SampleAndOrder.Guard(sample, order, scope)
            .Then(() => Problems.Validation(command.Reason switch
            {
                null => new() { ["reason"] = ["One of hemolyzed, clotted, insufficient, mislabeled, contaminated, other."] },
                RejectionReason.Other when string.IsNullOrWhiteSpace(command.Note) => new() { ["note"] = ["Describe the problem."] },
                _ when command.Note is { Length: > 1000 } => new() { ["note"] = ["At most 1000 characters."] },
                _ => [],
            }))
            .Then(() => sample!.Aggregate.Status == SampleStatus.Collected
                ? WolverineContinue.NoProblems
                : Problems.Conflict("sample.not_rejectable", "Only a collected sample that is not yet received can be rejected.",
                    new { currentStatus = sample.Aggregate.Status }));

    /// <summary>The specimen is unusable: its items go back to awaiting collection, and a recollection is needed.</summary>
    [WolverinePost("/api/lab/samples/{id}/reject", Name = "RejectSample"), Authorize(Actions.ReceiveSample)]
    public static SampleResponse Post(RejectSample command, IEventStream<Sample> sample, IEventStream<LabOrder> order, TimeProvider clock)
    {
        var s = sample.Aggregate;
        var rejected = new SpecimenRejected(s.Id, s.OrderId, s.EncounterId, command.Reason!.Value, command.Note?.Trim(), clock.GetUtcNow());
        sample.AppendOne(rejected);
        order.AppendOne(new LabOrderItemsAwaitingRecollection(s.OrderId, s.EncounterId, s.Id, SampleAndOrder.LiveItems(s, order.Aggregate),
            command.Reason.Value.ToString().ToLowerInvariant(), rejected.RejectedAt));
        return SampleResponse.From(s.Apply(rejected), s.Version + 1);
    }
}
