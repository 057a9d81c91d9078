using Wolverine;

namespace Encounters.Imaging;

/// <summary>
/// The cross-module fact that an imaging report reached the clinic, published through Wolverine's durable outbox in the
/// release's own transaction; the encounter module records it (and holds the close while a critical finding waits).
/// </summary>
public record RadiologyReportReleased(Guid RequestId, Guid EncounterId, string FacilityId, string ProcedureCode, string ProcedureName,
    int ReportVersion, bool Critical, bool Addendum, string OrderedBy, DateTimeOffset ReleasedAt, EventActor ReleasedBy);

/// <summary>The cross-module fact that a study was done and reported (billing charges its price code); one message per consumer.</summary>
public record ImagingItemReleased(Guid RequestId, Guid EncounterId, string FacilityId, string PriceCode, string ProcedureName, bool Addendum,
    DateTimeOffset ReleasedAt, EventActor ReleasedBy);

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
