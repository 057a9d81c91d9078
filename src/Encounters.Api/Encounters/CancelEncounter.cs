
namespace Encounters.Encounters;

public record CancelEncounter(string? Reason);

public static class CancelEncounterEndpoint
{
    public static ProblemDetails Validate(CancelEncounter command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.Cancel, Reasons.Errors(command.Reason));

    /// <summary>The visit will not happen: planned, arrived or triaged → cancelled, with a reason.</summary>
    [WolverinePost("/api/encounters/{id}/cancel", Name = "CancelEncounter"), Authorize(Actions.CancelEncounter)]
    public static (EncounterResponse, Events) Post(CancelEncounter command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, TimeProvider clock) =>
        encounter.Decided(new EncounterCancelled(encounter.Id, command.Reason!.Trim(), clock.GetUtcNow()));
}

