
namespace Encounters.Encounters;

public static class MarkNoShowEndpoint
{
    public static ProblemDetails Validate([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.NoShow);

    /// <summary>The patient did not come: a planned encounter ends as cancelled, reason no-show.</summary>
    [WolverinePost("/api/encounters/{id}/no-show", Name = "MarkNoShow"), Authorize(Actions.MarkNoShow)]
    public static (EncounterResponse, Events) Post([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, TimeProvider clock) =>
        encounter.Decided(new PatientDidNotAttend(encounter.Id, clock.GetUtcNow()));
}
