using Encounters.Scope;
using Encounters.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Encounters.Encounters;

public static class StartConsultEndpoint
{
    public static ProblemDetails Validate([WriteAggregate] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.StartConsult);

    /// <summary>The clinician sees the patient: arrived/triaged → in-progress; the caller is the attending clinician.</summary>
    [WolverinePost("/api/encounters/{id}/start-consult", Name = "StartConsult"), Authorize(Actions.StartConsult)]
    public static (EncounterResponse, Events) Post([WriteAggregate] Encounter encounter, CurrentScope scope, TimeProvider clock) =>
        encounter.Decided(new ConsultStarted(encounter.Id, scope.UserId, scope.UserName, clock.GetUtcNow()));
}
