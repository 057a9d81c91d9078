
namespace Encounters.Encounters;

public record RecordLeftWithoutBeingSeen(string? Note);

public static class RecordLeftWithoutBeingSeenEndpoint
{
    public static ProblemDetails Validate(RecordLeftWithoutBeingSeen command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter,
        CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.LeaveWithoutBeingSeen,
            Reasons.Optional(command.Note, "note"));

    /// <summary>The patient left before a clinician saw them (the front desk notices): arrived or triaged → cancelled.</summary>
    [WolverinePost("/api/encounters/{id}/left-without-being-seen", Name = "RecordLeftWithoutBeingSeen"), Authorize(Actions.CancelEncounter)]
    public static (EncounterResponse, Events) Post(RecordLeftWithoutBeingSeen command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter,
        TimeProvider clock) =>
        encounter.Decided(new PatientLeftWithoutBeingSeen(encounter.Id, string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim(), clock.GetUtcNow()));
}
