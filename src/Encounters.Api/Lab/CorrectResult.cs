using Encounters.Encounters;

namespace Encounters.Lab;

public record CorrectResult(AnalyteValue[]? Analytes, string? Reason);

public static class CorrectResultEndpoint
{
    public static Task<ResultContext> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => ResultContext.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(CorrectResult command, ResultContext context, [WriteAggregate] LabResult result, CurrentScope scope) =>
        context.Missing()
            .Then(() => Problems.Validation(context.Errors(command.Analytes).Concat(Reasons.Errors(command.Reason)).ToDictionary()))
            .Then(() => result.Stage == ResultStage.Released
                ? WolverineContinue.NoProblems
                : Problems.Conflict("lab.not_released", "Only a released result is corrected; before release, enter it again.",
                    new { stage = result.Stage.ToString().ToLowerInvariant() }));

    /// <summary>
    /// Corrects a released report: a new version with status corrected, which must be verified (by
    /// someone else) and released again. The released original stays readable.
    /// </summary>
    [WolverinePost("/api/lab/results/{id}/correct", Name = "CorrectResult"), Authorize(Actions.EnterResult)]
    public static (LabResultResponse, Events) Post(CorrectResult command, ResultContext context, [WriteAggregate] LabResult result,
        CurrentScope scope, TimeProvider clock)
    {
        var analytes = context.Judge(command.Analytes!, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return result.Decided(new ResultCorrected(result.Id, result.OrderId, result.EncounterId, result.ReportVersion + 1, analytes,
            analytes.Any(a => a.IsCritical), context.Test!.Version, command.Reason!.Trim(), scope.UserId, clock.GetUtcNow()));
    }
}
