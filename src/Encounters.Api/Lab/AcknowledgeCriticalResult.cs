using Encounters.Encounters;

namespace Encounters.Lab;

public record AcknowledgeCriticalResult(string? Note);

public static class AcknowledgeCriticalResultEndpoint
{
    public static ProblemDetails Validate(AcknowledgeCriticalResult command, [WriteAggregate] LabResult result, CurrentScope scope) =>
        Problems.Validation(Reasons.Errors(command.Note, "note"))
            .Then(() => result is { Stage: ResultStage.Released, Critical: true, CriticalAcknowledged: false }
                ? WolverineContinue.NoProblems
                : Problems.Conflict("lab.nothing_to_acknowledge", "Only a released critical result awaiting acknowledgement can be acknowledged."))
            .Then(() => result.OrderedBy == scope.UserId
                ? WolverineContinue.NoProblems
                : new ProblemDetails
                {
                    Status = 403, Title = "Only the ordering clinician acknowledges a critical result.",
                    Extensions = { ["code"] = "lab.not_ordering_clinician" },
                });

    /// <summary>The ordering clinician has seen the critical value and acted on it; until then the encounter cannot close.</summary>
    [WolverinePost("/api/lab/results/{id}/acknowledge", Name = "AcknowledgeCriticalResult"), Authorize(Actions.AcknowledgeResult)]
    public static (LabResultResponse, Events) Post(AcknowledgeCriticalResult command, [WriteAggregate] LabResult result,
        CurrentScope scope, TimeProvider clock) =>
        result.Decided(new CriticalResultAcknowledged(result.Id, result.OrderId, result.EncounterId, result.ReportVersion,
            command.Note!.Trim(), scope.UserId, clock.GetUtcNow()));
}
