using Encounters.Scope;
using Encounters.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Encounters.Encounters;

public static class CheckInEndpoint
{
    public static ProblemDetails Validate([WriteAggregate] Encounter encounter, CurrentScope scope) =>
        scope.Guard(encounter.FacilityId, encounter.Version, "Encounter")
            .Then(() => EncounterTransitions.Check(encounter, EncounterTransitions.Command.CheckIn));

    /// <summary>The patient has arrived: planned → arrived.</summary>
    [WolverinePost("/api/encounters/{id}/check-in", Name = "CheckIn"), Authorize(Actions.CheckIn)]
    public static (EncounterResponse, Events) Post([WriteAggregate] Encounter encounter, TimeProvider clock)
    {
        var checkedIn = new PatientCheckedIn(encounter.Id, clock.GetUtcNow());
        var version = encounter.Version + 1;
        return (EncounterResponse.From(encounter.Apply(checkedIn), version), [checkedIn]);
    }
}
