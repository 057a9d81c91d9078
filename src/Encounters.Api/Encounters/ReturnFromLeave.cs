
namespace Encounters.Encounters;

public static class ReturnFromLeaveEndpoint
{
    public static ProblemDetails Validate([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.Return);

    /// <summary>The patient is back: onleave → in-progress.</summary>
    [WolverinePost("/api/encounters/{id}/return", Name = "ReturnFromLeave"), Authorize(Actions.StepOut)]
    public static (EncounterResponse, Events) Post([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, TimeProvider clock) =>
        encounter.Decided(new PatientReturned(encounter.Id, clock.GetUtcNow()));
}
