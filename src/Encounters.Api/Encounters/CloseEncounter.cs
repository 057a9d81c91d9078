
namespace Encounters.Encounters;

public record CloseEncounter(Disposition? Disposition);

public static class CloseEncounterEndpoint
{
    public static async Task<(CloseGatePolicy, LabStatus)> LoadAsync(Guid id, IDocumentSession session, CurrentScope scope,
        CancellationToken ct)
    {
        var policy = await CloseGatePolicy.LoadAsync(session, scope.FacilityId, null, ct);
        var lab = await session.LoadAsync<LabStatus>(id, ct) ?? LabStatus.None;
        return (policy, lab);
    }

    public static ProblemDetails Validate(CloseEncounter command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CloseGatePolicy policy,
        LabStatus lab, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.Close,
                command.Disposition is null ? new() { ["disposition"] = ["One of discharged, referred, admitted, follow-up."] } : null)
            .Then(() => CloseGate.Check(encounter, lab, policy));

    /// <summary>Ends the visit with a disposition: in-progress → finished. Documentation is locked from here on.</summary>
    [WolverinePost("/api/encounters/{id}/close", Name = "CloseEncounter"), Authorize(Actions.CloseEncounter)]
    public static (EncounterResponse, Events) Post(CloseEncounter command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope,
        TimeProvider clock) =>
        encounter.Decided(new EncounterClosed(encounter.Id, command.Disposition!.Value, scope.UserId, clock.GetUtcNow()));
}
