using Wolverine;

namespace Encounters.Imaging;

public record AcknowledgeCriticalFinding(string? Note);

public static class AcknowledgeCriticalFindingEndpoint
{
    public static ProblemDetails Validate(AcknowledgeCriticalFinding command, [WriteAggregate] ImagingRequest request, CurrentScope scope)
    {
        var errors = new Dictionary<string, string[]>();
        Requests.Limits.Text(errors, "note", command.Note, Requests.Limits.Reason, required: true);
        return Problems.Validation(errors)
            .Then(() => request.AwaitingAcknowledgement
                ? WolverineContinue.NoProblems
                : Problems.Conflict("imaging.nothing_to_acknowledge", "Only a released critical finding awaiting acknowledgement can be acknowledged."))
            .Then(() => request.OrderedBy == scope.UserId
                ? WolverineContinue.NoProblems
                : new ProblemDetails
                {
                    Status = 403, Title = "Only the ordering clinician acknowledges a critical finding.",
                    Extensions = { ["code"] = "imaging.not_ordering_clinician" },
                });
    }

    /// <summary>The ordering clinician has seen the critical finding and acted on it; until then the encounter cannot close.</summary>
    [WolverinePost("/api/imaging/{id}/acknowledge", Name = "AcknowledgeCriticalImagingFinding"), Authorize(Actions.AcknowledgeResult)]
    public static (ImagingResponse, Events, OutgoingMessages) Post(AcknowledgeCriticalFinding command, [WriteAggregate] ImagingRequest request,
        CurrentScope scope, TimeProvider clock)
    {
        var acknowledged = new ImagingCriticalFindingAcknowledged(request.Id, request.EncounterId, request.ReportVersion, command.Note!.Trim(),
            scope.UserId, clock.GetUtcNow());
        var (response, events) = request.Decided(acknowledged);
        return (response, events,
            [new RadiologyCriticalFindingAcknowledged(request.Id, request.EncounterId, request.FacilityId, acknowledged.AcknowledgedAt, scope.Actor)]);
    }
}
