using Encounters.Scope;
using Encounters.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Encounters.Encounters;

public record CancelEncounter(string? Reason);

public static class CancelEncounterEndpoint
{
    public static ProblemDetails Validate(CancelEncounter command, [WriteAggregate] Encounter encounter, CurrentScope scope) =>
        scope.Guard(encounter.FacilityId, encounter.Version, "Encounter")
            .Then(() => Problems.Validation(string.IsNullOrWhiteSpace(command.Reason) || command.Reason.Length > 500
                ? new() { ["reason"] = ["Required, at most 500 characters."] }
                : []))
            .Then(() => EncounterTransitions.Check(encounter, EncounterTransitions.Command.Cancel));

    /// <summary>The visit will not happen: planned, arrived or triaged → cancelled, with a reason.</summary>
    [WolverinePost("/api/encounters/{id}/cancel", Name = "CancelEncounter"), Authorize(Actions.CancelEncounter)]
    public static (EncounterResponse, Events) Post(CancelEncounter command, [WriteAggregate] Encounter encounter, TimeProvider clock)
    {
        var cancelled = new EncounterCancelled(encounter.Id, command.Reason!.Trim(), clock.GetUtcNow());
        var version = encounter.Version + 1;
        return (EncounterResponse.From(encounter.Apply(cancelled), version), [cancelled]);
    }
}
