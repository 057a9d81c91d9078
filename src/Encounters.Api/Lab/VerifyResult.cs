
namespace Encounters.Lab;

public static class VerifyResultEndpoint
{
    public static ProblemDetails Validate([WriteAggregate] LabResult result, CurrentScope scope) =>
        (result.Stage == ResultStage.Entered
                ? WolverineContinue.NoProblems
                : Problems.Conflict("lab.invalid_result_state", "Only an entered, unverified result can be verified.",
                    new { stage = result.Stage.ToString().ToLowerInvariant() }))
            .Then(() => result.EnteredBy != scope.UserId
                ? WolverineContinue.NoProblems
                : Problems.Conflict("lab.self_verification", "Four eyes: the result must be verified by someone other than who entered it."));

    /// <summary>A second person confirms the version they reviewed (If-Match, required).</summary>
    [WolverinePost("/api/lab/results/{id}/verify", Name = "VerifyResult"), Authorize(Actions.VerifyResult), Reviewed]
    public static (LabResultResponse, Events) Post([WriteAggregate] LabResult result, CurrentScope scope, TimeProvider clock) =>
        result.Decided(new ResultVerified(result.Id, result.OrderId, result.EncounterId, result.ReportVersion, scope.UserId, clock.GetUtcNow()));
}
