
namespace Encounters.Encounters;

public static class CheckInEndpoint
{
    public static ProblemDetails Validate([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.CheckIn);

    /// <summary>The patient has arrived: planned → arrived.</summary>
    [WolverinePost("/api/encounters/{id}/check-in", Name = "CheckIn"), Authorize(Actions.CheckIn)]
    public static (EncounterResponse, Events) Post([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, TimeProvider clock) =>
        encounter.Decided(new PatientCheckedIn(encounter.Id, clock.GetUtcNow()));
}
