using System.Text.RegularExpressions;

namespace Encounters.Imaging;

public record PerformStudy(DateTimeOffset? PerformedAt, string? Technique, string? StudyInstanceUid, string? AccessionNumber);

public static partial class PerformStudyEndpoint
{
    /// <summary>A DICOM UID: dot-separated numbers without leading zeros, at most 64 characters.</summary>
    [GeneratedRegex(@"\A(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+\z")]
    private static partial Regex DicomUid();

    public static ProblemDetails Validate(PerformStudy command, [WriteAggregate] ImagingRequest request, TimeProvider clock) =>
        Problems.Validation(Errors(command, clock.GetUtcNow()))
            .Then(() => StudyWaits(request));

    private static Dictionary<string, string[]> Errors(PerformStudy command, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        // A study is recorded as it happens or shortly after, never ahead of time.
        if (command.PerformedAt is not { } at || at > now.AddMinutes(5) || !Requests.ClinicalDates.InRange(at, now))
            errors["performedAt"] = ["When the study was acquired (ISO 8601), not in the future."];
        Requests.Limits.Text(errors, "technique", command.Technique, Requests.Limits.Note, required: true);
        if (command.StudyInstanceUid is { } uid && (uid.Length > 64 || !DicomUid().IsMatch(uid)))
            errors["studyInstanceUid"] = ["A DICOM UID such as 1.2.840.113619.2.55.3.604688119, at most 64 characters."];
        Requests.Limits.Text(errors, "accessionNumber", command.AccessionNumber, Requests.Limits.Code);
        return errors;
    }

    /// <summary>Performing or not performing applies only to a study still waiting.</summary>
    public static ProblemDetails StudyWaits(ImagingRequest request) => request.Study == StudyState.Registered
        ? WolverineContinue.NoProblems
        : Problems.Conflict("imaging.study_recorded", "The study is already recorded as performed or not performed.",
            new { study = request.Study });

    /// <summary>The radiographer records the study as acquired: when, the technique, and its DICOM study instance UID or accession number.</summary>
    [WolverinePost("/api/imaging/{id}/perform", Name = "PerformImagingStudy"), Authorize(Actions.PerformImaging)]
    public static (ImagingResponse, Events) Post(PerformStudy command, [WriteAggregate] ImagingRequest request, CurrentScope scope,
        TimeProvider clock) =>
        request.Decided(new ImagingStudyPerformed(request.Id, request.EncounterId, command.PerformedAt!.Value, command.Technique!.Trim(),
            command.StudyInstanceUid, command.AccessionNumber?.Trim(), scope.UserId, clock.GetUtcNow()));
}
