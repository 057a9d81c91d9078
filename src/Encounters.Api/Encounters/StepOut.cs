
namespace Encounters.Encounters;

public record StepOut(string? Reason);

public static class StepOutEndpoint
{
    public static ProblemDetails Validate(StepOut command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.StepOut,
            Reasons.Optional(command.Reason));

    /// <summary>The patient leaves the consult for a while (e.g. to the lab): in-progress → onleave.</summary>
    [WolverinePost("/api/encounters/{id}/step-out", Name = "StepOut"), Authorize(Actions.StepOut)]
    public static (EncounterResponse, Events) Post(StepOut command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, TimeProvider clock) =>
        encounter.Decided(new PatientSteppedOut(encounter.Id, command.Reason?.Trim(), clock.GetUtcNow()));
}
