using Encounters.Audit;
using Encounters.Lab;

namespace Encounters.Imaging;

/// <summary>Turnaround in minutes for one procedure at one priority: each stage, and requested → first release overall.</summary>
public record ImagingTurnaroundRow(string ProcedureCode, OrderPriority Priority, StageTimes RequestedToPerformed, StageTimes PerformedToReported,
    StageTimes ReportedToVerified, StageTimes VerifiedToReleased, StageTimes RequestedToReleased);

public static class ImagingTurnaroundEndpoint
{
    /// <summary>A window of at most a year: the requests of a wider one would all be loaded into memory.</summary>
    public static ProblemDetails Validate(DateTimeOffset? from, DateTimeOffset? to) =>
        Problems.Validation(Requests.ClinicalDates.Window(from, to, required: true));

    /// <summary>Median and 90th percentile imaging turnaround per procedure and priority, for requests placed in [from, to).</summary>
    [NoPatientData]
    [WolverineGet("/api/imaging/tat", Name = "GetImagingTurnaround"), Authorize(Actions.ReadImagingWorklist)]
    public static async Task<IReadOnlyList<ImagingTurnaroundRow>> Get(DateTimeOffset? from, DateTimeOffset? to, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var (start, end) = (from!.Value, to!.Value);
        var requests = await session.Query<ImagingView>()
            .Where(v => v.FacilityId == scope.FacilityId && v.RequestedAt >= start && v.RequestedAt < end && v.Study != StudyState.Cancelled)
            .ToListAsync(ct);
        return requests.GroupBy(v => (v.ProcedureCode, v.Priority))
            .OrderBy(g => g.Key.ProcedureCode).ThenBy(g => g.Key.Priority)
            .Select(g => new ImagingTurnaroundRow(g.Key.ProcedureCode, g.Key.Priority,
                TurnaroundEndpoint.Times(g, v => v.RequestedAt, v => v.PerformedAt),
                TurnaroundEndpoint.Times(g, v => v.PerformedAt, v => v.FirstReportedAt),
                TurnaroundEndpoint.Times(g, v => v.FirstReportedAt, v => v.FirstVerifiedAt),
                TurnaroundEndpoint.Times(g, v => v.FirstVerifiedAt, v => v.FirstReleasedAt),
                TurnaroundEndpoint.Times(g, v => v.RequestedAt, v => v.FirstReleasedAt)))
            .ToList();
    }
}
