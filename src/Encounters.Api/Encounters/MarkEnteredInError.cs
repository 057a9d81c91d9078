
namespace Encounters.Encounters;

public record MarkEnteredInError(string? Reason);

public static class MarkEnteredInErrorEndpoint
{
    public static ProblemDetails Validate(MarkEnteredInError command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.MarkEnteredInError, Reasons.Errors(command.Reason));

    /// <summary>The encounter should never have existed (wrong patient, duplicate): terminal, kept for the record.</summary>
    [WolverinePost("/api/encounters/{id}/entered-in-error", Name = "MarkEnteredInError"), Authorize(Actions.MarkEnteredInError)]
    public static (EncounterResponse, Events, Wolverine.OutgoingMessages) Post(MarkEnteredInError command,
        [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope, TimeProvider clock)
    {
        var (response, events) = encounter.Decided(new EncounterMarkedEnteredInError(encounter.Id, command.Reason!.Trim(), clock.GetUtcNow()));
        return (response, events, [new EncounterWithdrawn(encounter.Id, encounter.FacilityId, $"Encounter entered in error: {command.Reason.Trim()}", scope.Actor)]);
    }
}

