namespace Encounters.Imaging;

public record RecordStudyNotPerformed(string? Reason);

public static class RecordStudyNotPerformedEndpoint
{
    public static ProblemDetails Validate(RecordStudyNotPerformed command, [WriteAggregate] ImagingRequest request) =>
        Problems.Validation(Reason(command.Reason))
            .Then(() => PerformStudyEndpoint.StudyWaits(request));

    private static Dictionary<string, string[]> Reason(string? reason)
    {
        var errors = new Dictionary<string, string[]>();
        Requests.Limits.Text(errors, "reason", reason, Requests.Limits.Reason, required: true);
        return errors;
    }

    /// <summary>The radiographer records that the study was not done (patient unable, pregnant, left), with the reason; the request ends.</summary>
    [WolverinePost("/api/imaging/{id}/not-performed", Name = "RecordImagingNotPerformed"), Authorize(Actions.PerformImaging)]
    public static (ImagingResponse, Events) Post(RecordStudyNotPerformed command, [WriteAggregate] ImagingRequest request, CurrentScope scope,
        TimeProvider clock) =>
        request.Decided(new ImagingStudyNotPerformed(request.Id, request.EncounterId, command.Reason!.Trim(), scope.UserId, clock.GetUtcNow()));
}
