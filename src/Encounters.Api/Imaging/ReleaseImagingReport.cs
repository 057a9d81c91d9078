using Wolverine;

namespace Encounters.Imaging;

public static class ReleaseImagingReportEndpoint
{
    public static Task<ImagingReadingPolicy> LoadAsync(IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ImagingReadingPolicy.LoadAsync(session, scope.FacilityId, null, ct);

    public static ProblemDetails Validate([WriteAggregate] ImagingRequest request, ImagingReadingPolicy policy) =>
        request.Stage == ReportStage.Verified || (request.Stage == ReportStage.Drafted && !policy.SecondReading)
            ? WolverineContinue.NoProblems
            : Problems.Conflict("imaging.not_verified",
                policy.SecondReading ? "A report is released only after a second radiologist verified it." : "There is no report to release.",
                new { stage = request.Stage });

    /// <summary>Releases the report version the radiologist reviewed (If-Match, required): final (or appended), on its way to the encounter.</summary>
    [WolverinePost("/api/imaging/{id}/release", Name = "ReleaseImagingReport"), Authorize(Actions.ReleaseImaging), Reviewed]
    public static (ImagingResponse, Events, OutgoingMessages) Post([WriteAggregate] ImagingRequest request, CurrentScope scope,
        TimeProvider clock)
    {
        var released = new ImagingReportReleased(request.Id, request.EncounterId, request.ReportVersion, request.Critical, request.Addendum,
            request.OrderedBy, clock.GetUtcNow());
        var (response, events) = request.Decided(released);
        return (response, events,
        [
            new RadiologyReportReleased(request.Id, request.EncounterId, request.FacilityId, request.ProcedureCode, request.ProcedureName,
                request.ReportVersion, request.Critical, request.Addendum, request.OrderedBy, released.ReleasedAt, scope.Actor),
            new ImagingItemReleased(request.Id, request.EncounterId, request.FacilityId, request.PriceCode, request.ProcedureName,
                request.Addendum, released.ReleasedAt, scope.Actor),
        ]);
    }
}
