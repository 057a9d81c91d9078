using System.Text.RegularExpressions;

namespace Encounters.Encounters;

/// <summary>
/// One SOAP section. The first write records version 1; any later write is an amendment that needs a
/// reason and supersedes the previous version, which stays readable.
/// </summary>
public record DocumentSection(string? Text, Diagnosis[]? Diagnoses, DateOnly? FollowUpDate, string? Reason);

public static partial class DocumentSectionEndpoint
{
    public const int MaxTextLength = 20_000;

    public static ProblemDetails Validate(string section, DocumentSection command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter,
        CurrentScope scope, TimeProvider clock)
    {
        if (!TryParseSection(section, out var noteSection))
            return Problems.Validation(new() { ["section"] = ["One of subjective, objective, assessment, plan."] });

        return EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.Document,
                Errors(noteSection, command, encounter.NoteVersion(noteSection) > 0, encounter.Status == EncounterStatus.Finished,
                    DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            .Then(() => PostCloseLock(encounter, scope));
    }

    [WolverinePost("/api/encounters/{id}/documentation/{section}", Name = "DocumentSection"), Authorize(Actions.Document)]
    public static (EncounterResponse, Events) Post(string section, DocumentSection command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter,
        TimeProvider clock)
    {
        TryParseSection(section, out var noteSection);
        var content = new NoteContent(command.Text!.Trim(),
            noteSection == NoteSection.Assessment ? command.Diagnoses ?? [] : null,
            noteSection == NoteSection.Plan ? command.FollowUpDate : null);
        var version = encounter.NoteVersion(noteSection) + 1;
        var afterClose = encounter.Status == EncounterStatus.Finished;
        object written = version == 1
            ? new ClinicalNoteRecorded(encounter.Id, noteSection, version, content, clock.GetUtcNow(), command.Reason?.Trim(), afterClose)
            : new ClinicalNoteAmended(encounter.Id, noteSection, version, content, command.Reason!.Trim(), afterClose, clock.GetUtcNow());
        return encounter.Decided(written);
    }

    public static string Name(NoteSection section) => section.ToString().ToLowerInvariant();

    public static bool TryParseSection(string value, out NoteSection section) =>
        Requests.StrictEnum.TryParse(value, out section);

    private static Dictionary<string, string[]> Errors(NoteSection section, DocumentSection command, bool isAmendment, bool afterClose,
        DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(command.Text) || command.Text.Length > MaxTextLength)
            errors["text"] = [$"Required, at most {MaxTextLength} characters."];
        // Every write after close needs a reason, a section's first one included.
        if (isAmendment || afterClose)
            foreach (var (field, _) in Reasons.Errors(command.Reason))
                errors[field] = [isAmendment ? "An amendment needs a reason." : "A note written after close needs a reason."];
        else if (command.Reason is { Length: > Requests.Limits.Reason }) errors["reason"] = [$"At most {Requests.Limits.Reason} characters."];

        if (command.Diagnoses is { Length: > 0 } diagnoses)
        {
            if (section != NoteSection.Assessment) errors["diagnoses"] = ["Diagnoses belong to the assessment."];
            for (var i = 0; i < diagnoses.Length; i++)
            {
                if (diagnoses[i] is null || !Diagnosis.CodeShape().IsMatch(diagnoses[i].Code ?? ""))
                    errors[$"diagnoses[{i}].code"] = ["An ICD-10 code such as J06.9."];
                Requests.Limits.Text(errors, $"diagnoses[{i}].display", diagnoses[i]?.Display, Requests.Limits.Name, required: true);
            }
        }

        if (command.FollowUpDate is { } followUp)
        {
            if (section != NoteSection.Plan) errors["followUpDate"] = ["A follow-up date belongs to the plan."];
            else if (followUp <= today || followUp > today.AddYears(1)) errors["followUpDate"] = ["After today, within a year."];
        }

        return errors;
    }

    /// <summary>After close, only the clinician who closed the encounter or a facility admin may amend it.</summary>
    private static ProblemDetails PostCloseLock(Encounter encounter, CurrentScope scope)
    {
        var closed = encounter.Status == EncounterStatus.Finished;
        var allowed = closed
            ? scope.ActingRole == Roles.FacilityAdmin || scope.UserId == encounter.ClosedBy
            : scope.ActingRole == Roles.Clinician;
        return allowed
            ? WolverineContinue.NoProblems
            : new ProblemDetails
            {
                Status = 403,
                Title = closed ? "The documentation of a closed encounter is locked." : "Only clinicians document an open encounter.",
                Detail = closed ? "Amendments after close need the clinician who closed it or a facility admin." : null,
                Extensions = { ["code"] = closed ? "encounter.documentation_locked" : "auth.forbidden" },
            };
    }
}
