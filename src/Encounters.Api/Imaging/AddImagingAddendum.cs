namespace Encounters.Imaging;

public static class AddImagingAddendumEndpoint
{
    public static ProblemDetails Validate(ReportStudy command, [WriteAggregate] ImagingRequest request) =>
        Problems.Validation(ReportStudyEndpoint.Errors(command))
            .Then(() => request.Stage == ReportStage.Released
                ? WolverineContinue.NoProblems
                : Problems.Conflict("imaging.not_released", "An addendum follows a released report; before release, report again.",
                    new { stage = request.Stage }));

    /// <summary>
    /// Adds to a released report: a new version (status appended once released) that is verified and released like the
    /// first; every earlier version stays readable as it was released.
    /// </summary>
    [WolverinePost("/api/imaging/{id}/addendum", Name = "AddImagingAddendum"), Authorize(Actions.ReportImaging)]
    public static (ImagingResponse, Events) Post(ReportStudy command, [WriteAggregate] ImagingRequest request, CurrentScope scope,
        TimeProvider clock) =>
        request.Decided(ReportStudyEndpoint.Drafted(command, request, addendum: true, scope, clock));
}
