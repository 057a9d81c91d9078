namespace Encounters.Imaging;

/// <summary>A radiologist's report: findings, impression, an optional coded conclusion, and whether a finding is critical.</summary>
public record ReportStudy(string? Findings, string? Impression, CodedConclusion? Conclusion, bool? Critical);

public static class ReportStudyEndpoint
{
    public static ProblemDetails Validate(ReportStudy command, [WriteAggregate] ImagingRequest request) =>
        Problems.Validation(Errors(command))
            .Then(() => request.Study == StudyState.Available
                ? WolverineContinue.NoProblems
                : Problems.Conflict("imaging.study_not_performed", "Only a performed study is reported.", new { study = request.Study }))
            .Then(() => request.Stage is ReportStage.None or ReportStage.Drafted
                ? WolverineContinue.NoProblems
                : Problems.Conflict("imaging.report_locked", "The report is verified or released; after release, write an addendum.",
                    new { stage = request.Stage }));

    public static Dictionary<string, string[]> Errors(ReportStudy report)
    {
        var errors = new Dictionary<string, string[]>();
        Requests.Limits.Text(errors, "findings", report.Findings, Requests.Limits.ClinicalText, required: true);
        Requests.Limits.Text(errors, "impression", report.Impression, Requests.Limits.Note, required: true);
        if (report.Conclusion is { } c && (string.IsNullOrWhiteSpace(c.System) || string.IsNullOrWhiteSpace(c.Code) ||
                                           string.IsNullOrWhiteSpace(c.Display) || c.System.Length > Requests.Limits.Name ||
                                           c.Code.Length > Requests.Limits.Code || c.Display.Length > Requests.Limits.Name))
            errors["conclusion"] = ["System, code and display, e.g. http://snomed.info/sct, 36118008, Pneumothorax."];
        return errors;
    }

    public static ImagingReportDrafted Drafted(ReportStudy report, ImagingRequest request, bool addendum, CurrentScope scope,
        TimeProvider clock) =>
        new(request.Id, request.EncounterId, request.ReportVersion + 1, report.Findings!.Trim(), report.Impression!.Trim(), report.Conclusion,
            report.Critical == true, addendum, scope.UserId, clock.GetUtcNow());

    /// <summary>
    /// The radiologist reports a performed study (a preliminary version); reporting again before verification records a
    /// new preliminary version. A critical finding must be acknowledged by the ordering clinician once released.
    /// </summary>
    [WolverinePost("/api/imaging/{id}/report", Name = "ReportImagingStudy"), Authorize(Actions.ReportImaging)]
    public static (ImagingResponse, Events) Post(ReportStudy command, [WriteAggregate] ImagingRequest request, CurrentScope scope,
        TimeProvider clock) =>
        request.Decided(Drafted(command, request, addendum: false, scope, clock));
}
