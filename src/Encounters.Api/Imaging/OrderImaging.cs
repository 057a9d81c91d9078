using Encounters.Encounters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Imaging;

public record OrderImaging(Guid? EncounterId, string? ProcedureCode, OrderPriority? Priority, string? ClinicalIndication);

public static class OrderImagingEndpoint
{
    private static readonly EncounterStatus[] Orderable = [EncounterStatus.Arrived, EncounterStatus.Triaged, EncounterStatus.InProgress];

    public static async Task<(Encounter?, ImagingProcedure?)> LoadAsync(OrderImaging command, IDocumentSession session, CancellationToken ct)
    {
        var encounter = command.EncounterId is { } id ? await session.Events.AggregateStreamAsync<Encounter>(id, token: ct) : null;
        var procedure = command.ProcedureCode is { Length: <= Requests.Limits.Code } code ? await ImagingCatalog.FindAsync(session, code, ct) : null;
        return (encounter, procedure);
    }

    public static ProblemDetails Validate(OrderImaging command, Encounter? encounter, ImagingProcedure? procedure, CurrentScope scope)
    {
        var errors = new Dictionary<string, string[]>();
        if (!scope.IsHere(encounter)) errors["encounterId"] = ["No such encounter in this facility."];
        if (procedure is null) errors["procedureCode"] = ["A procedure of the imaging catalog (GET /api/imaging/catalog)."];
        if (command.Priority is null) errors["priority"] = ["One of routine, urgent, stat."];
        // The radiologist reads the study against the question asked: no indication, no request.
        Requests.Limits.Text(errors, "clinicalIndication", command.ClinicalIndication, Requests.Limits.Note, required: true);
        if (errors.Count > 0) return Problems.Validation(errors);

        return Orderable.Contains(encounter!.Status)
            ? WolverineContinue.NoProblems
            : Problems.Conflict("order.encounter_not_active", "Imaging is ordered only while the encounter is arrived, triaged or in progress.",
                new { currentStatus = EncounterTransitions.Name(encounter.Status) });
    }

    /// <summary>Orders an imaging procedure for an active visit, with its priority and the clinical question; it waits for a radiographer.</summary>
    [WolverinePost("/api/imaging", Name = "OrderImaging"), Authorize(Actions.OrderImaging)]
    public static (Created<ImagingResponse>, IStartStream) Post(OrderImaging command, Encounter encounter, ImagingProcedure procedure,
        CurrentScope scope, TimeProvider clock)
    {
        var requested = new ImagingRequested(Guid.CreateVersion7(), encounter.Id, encounter.PatientId, scope.FacilityId, procedure.Id,
            procedure.Name, procedure.Modality, procedure.BodySite, procedure.PriceCode, procedure.Version, command.Priority!.Value,
            command.ClinicalIndication!.Trim(), scope.UserId, scope.UserName, clock.GetUtcNow());
        var request = ImagingRequest.Create(requested);
        return (TypedResults.Created($"/api/imaging/{request.Id}", ImagingResponse.From(request, 1)),
            MartenOps.StartStream<ImagingRequest>(request.Id, requested));
    }
}
