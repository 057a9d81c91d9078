using Encounters.Audit;
using Encounters.Encounters;

namespace Encounters.Imaging;

public record ImagingWorklistRow(string Step, Guid RequestId, Guid EncounterId, Guid PatientId, string ProcedureCode, string ProcedureName, string Modality,
    OrderPriority Priority, string ClinicalIndication, string? AccessionNumber, Actor? ReportedBy, DateTimeOffset WaitingSince,
    double WaitingMinutes);

/// <summary>
/// The radiographers' (to-perform) and radiologists' (to-report, to-verify, to-release) screens: stat first, then oldest
/// first; without a step, the department's whole waiting list with each row's step.
/// </summary>
public static class ImagingWorklistEndpoint
{
    public static readonly string[] Steps = ["to-perform", "to-report", "to-verify", "to-release"];

    public static ProblemDetails Validate(string? step, int? page, int? pageSize)
    {
        var errors = Paging.Errors(page, pageSize);
        if (step is not null && !Steps.Contains(step)) errors["step"] = [$"One of {string.Join(", ", Steps)}."];
        return Problems.Validation(errors);
    }

    /// <summary>The step a request waits at, or null when nobody in imaging has anything to do with it.</summary>
    public static string? StepOf(ImagingView v, bool secondReading) => v switch
    {
        { Study: StudyState.Registered } => "to-perform",
        { Study: StudyState.Available, Stage: ReportStage.None } => "to-report",
        { Stage: ReportStage.Drafted } => secondReading ? "to-verify" : "to-release",
        { Stage: ReportStage.Verified } => "to-release",
        _ => null,
    };

    [ReadsChart("imaging.worklist")]
    [WolverineGet("/api/imaging/worklist", Name = "GetImagingWorklist"), Authorize(Actions.ReadImagingWorklist)]
    public static async Task<Page<ImagingWorklistRow>> Get(string? step, int? page, int? pageSize, IQuerySession session, CurrentScope scope,
        TimeProvider clock, CancellationToken ct)
    {
        var policy = await ImagingReadingPolicy.LoadAsync(session, scope.FacilityId, null, ct);
        // Waiting work only: a released or cancelled request has left every list.
        var waiting = await session.Query<ImagingView>()
            .Where(v => v.FacilityId == scope.FacilityId && v.Waiting)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        var rows = waiting
            .Select(v => (View: v, Step: StepOf(v, policy.SecondReading)))
            .Where(x => x.Step is not null && (step is null || x.Step == step))
            .Select(x => Row(x.View, x.Step!, now))
            .OrderBy(row => row.Priority).ThenBy(row => row.WaitingSince)
            .ToList();
        return Paging.Of(rows, page, pageSize);
    }

    private static ImagingWorklistRow Row(ImagingView v, string step, DateTimeOffset now)
    {
        var since = v.StageSince ?? v.RequestedAt;
        return new ImagingWorklistRow(step, v.Id, v.EncounterId, v.PatientId, v.ProcedureCode, v.ProcedureName, v.Modality, v.Priority,
            v.ClinicalIndication, v.AccessionNumber, v.Versions.LastOrDefault()?.AuthoredBy, since, Math.Round((now - since).TotalMinutes, 1));
    }
}
