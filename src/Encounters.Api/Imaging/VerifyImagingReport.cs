namespace Encounters.Imaging;

public static class VerifyImagingReportEndpoint
{
    public static ProblemDetails Validate([WriteAggregate] ImagingRequest request, CurrentScope scope) =>
        (request.Stage == ReportStage.Drafted
                ? WolverineContinue.NoProblems
                : Problems.Conflict("imaging.invalid_report_state", "Only a drafted, unverified report can be verified.", new { stage = request.Stage }))
            .Then(() => request.AuthoredBy != scope.UserId
                ? WolverineContinue.NoProblems
                : Problems.Conflict("imaging.self_verification", "Four eyes: a second radiologist verifies the report, not its author."));

    /// <summary>A second radiologist confirms the report version they read (If-Match, required).</summary>
    [WolverinePost("/api/imaging/{id}/verify", Name = "VerifyImagingReport"), Authorize(Actions.VerifyImaging), Reviewed]
    public static (ImagingResponse, Events) Post([WriteAggregate] ImagingRequest request, CurrentScope scope, TimeProvider clock) =>
        request.Decided(new ImagingReportVerified(request.Id, request.EncounterId, request.ReportVersion, scope.UserId, clock.GetUtcNow()));
}
