using Wolverine;

namespace Encounters.Lab;

public static class ReleaseResultEndpoint
{
    public static ProblemDetails Validate([WriteAggregate] LabResult result) =>
        result.Stage == ResultStage.Verified
            ? WolverineContinue.NoProblems
            : Problems.Conflict("lab.not_verified", "A result is released only after verification.",
                new { stage = result.Stage.ToString().ToLowerInvariant() });

    /// <summary>Releases the verified version the person reviewed (If-Match, required) to the clinic: final (or corrected), and on its way to the encounter.</summary>
    [WolverinePost("/api/lab/results/{id}/release", Name = "ReleaseResult"), Authorize(Actions.ReleaseResult), Reviewed]
    public static (LabResultResponse, Events, OutgoingMessages) Post([WriteAggregate] LabResult result, CurrentScope scope,
        TimeProvider clock)
    {
        var released = new ResultReleased(result.Id, result.OrderId, result.EncounterId, result.ReportVersion, result.Critical,
            result.Corrected, result.OrderedBy, clock.GetUtcNow());
        var (response, events) = result.Decided(released);
        // A correction's release is not a turnaround: the clinic had the first report already.
        if (result is { Corrected: false, OrderedAt: { } orderedAt })
            Observability.BusinessMetrics.LabTurnaround.Record((released.ReleasedAt - orderedAt).TotalMinutes,
                new("test", result.TestCode), new("priority", result.Priority.ToString().ToLowerInvariant()));
        return (response, events,
        [
            new LabReportReleased(result.Id, result.OrderId, result.EncounterId, result.FacilityId, result.TestCode, result.TestName,
                result.ReportVersion, result.Critical, result.Corrected, result.OrderedBy, released.ReleasedAt, scope.Actor),
            new LabItemReleased(result.Id, result.EncounterId, result.FacilityId, result.TestCode, result.TestName, result.Corrected,
                released.ReleasedAt, scope.Actor),
        ]);
    }
}
