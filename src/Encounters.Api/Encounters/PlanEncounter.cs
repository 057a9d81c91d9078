using Encounters.Patients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Encounters;

public record PlanEncounter(Guid? PatientId, string? Reason, DateTimeOffset? ScheduledAt);

public static class PlanEncounterEndpoint
{
    public static async Task<ProblemDetails> ValidateAsync(PlanEncounter command, IDocumentSession session, CurrentScope scope,
        TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.PatientId is not { } patientId || patientId == Guid.Empty)
            errors["patientId"] = ["Required."];
        else if (!scope.IsHere(await session.LoadAsync<Patient>(patientId, ct)))
            errors["patientId"] = ["No such patient in this facility."];
        if (string.IsNullOrWhiteSpace(command.Reason) || command.Reason.Length > 500)
            errors["reason"] = ["Required, at most 500 characters."];
        if (command.ScheduledAt is { } at && !Requests.ClinicalDates.InRange(at, clock.GetUtcNow()))
            errors["scheduledAt"] = [$"Between {Requests.ClinicalDates.Earliest:yyyy-MM-dd} and a year from now."];
        return Problems.Validation(errors);
    }

    [WolverinePost("/api/encounters", Name = "PlanEncounter"), Authorize(Actions.PlanEncounter)]
    public static (Created<EncounterResponse>, IStartStream) Post(PlanEncounter command, CurrentScope scope, TimeProvider clock)
    {
        var planned = new EncounterPlanned(Guid.CreateVersion7(), command.PatientId!.Value, scope.FacilityId,
            command.Reason!.Trim(), command.ScheduledAt, clock.GetUtcNow());
        var encounter = Encounter.Create(planned);
        return (TypedResults.Created($"/api/encounters/{encounter.Id}", EncounterResponse.From(encounter, 1)),
            MartenOps.StartStream<Encounter>(encounter.Id, planned));
    }
}
