using Encounters.Encounters;
using Encounters.Lab;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Lab;

public record OrderLine(string? ServiceCode);

public record PlaceOrder(Guid? EncounterId, OrderPriority? Priority, OrderLine[]? Items, string? Note);

public static class PlaceOrderEndpoint
{
    public static async Task<(Encounter?, IReadOnlyList<LabTest>)> LoadAsync(PlaceOrder command, IDocumentSession session,
        CancellationToken ct)
    {
        var encounter = command.EncounterId is { } id ? await session.LoadAsync<Encounter>(id, ct) : null;
        return (encounter, await LabCatalog.AllAsync(session, ct));
    }

    public static ProblemDetails Validate(PlaceOrder command, Encounter? encounter, IReadOnlyList<LabTest> catalog, CurrentScope scope)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.EncounterId is null) errors["encounterId"] = ["Required."];
        else if (!scope.IsHere(encounter)) errors["encounterId"] = ["No such encounter in this facility."];
        if (command.Priority is null) errors["priority"] = ["One of routine, urgent, stat."];
        if (command.Note is { Length: > 2000 }) errors["note"] = ["At most 2000 characters."];
        if (command.Items is not { Length: > 0 }) errors["items"] = ["At least one test."];
        else
        {
            var orderable = catalog.Where(t => !t.Retired).Select(t => t.Id).ToHashSet();
            var unknown = command.Items.Select(i => i?.ServiceCode ?? "").Where(code => !orderable.Contains(code)).ToArray();
            if (unknown.Length > 0)
                errors["items"] = [$"Unknown or retired test codes: {string.Join(", ", unknown.Select(c => c == "" ? "(empty)" : c))}."];
            else if (command.Items.Select(i => i.ServiceCode).Distinct().Count() != command.Items.Length)
                errors["items"] = ["Each test at most once per order."];
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        return EncounterTransitions.Allows(encounter!.Status, EncounterTransitions.Command.PlaceOrder)
            ? WolverineContinue.NoProblems
            : Problems.Conflict("order.encounter_not_active",
                $"Lab tests are ordered only while the encounter is {string.Join(", ", EncounterTransitions.From(EncounterTransitions.Command.PlaceOrder))}.",
                new { currentStatus = EncounterTransitions.Name(encounter.Status) });
    }

    /// <summary>Orders lab tests for an active encounter: one item per test, each awaiting collection.</summary>
    [WolverinePost("/api/orders", Name = "PlaceOrder"), Authorize(Actions.PlaceOrder)]
    public static (Created<LabOrderResponse>, IStartStream) Post(PlaceOrder command, Encounter encounter,
        IReadOnlyList<LabTest> catalog, CurrentScope scope, TimeProvider clock)
    {
        var items = command.Items!.Select(line => catalog.Single(t => t.Id == line.ServiceCode))
            .Select(t => new OrderedItem(Guid.CreateVersion7(), t.Id, t.Loinc, t.Name, t.Specimen.Type, t.Specimen.Container, t.Version))
            .ToArray();
        var placed = new LabOrderPlaced(Guid.CreateVersion7(), encounter.Id, encounter.PatientId, scope.FacilityId,
            command.Priority!.Value, items, command.Note?.Trim(), scope.UserId, scope.UserName, clock.GetUtcNow());
        var order = LabOrder.Create(placed);
        return (TypedResults.Created($"/api/orders/{order.Id}", LabOrderResponse.From(order, 1)),
            MartenOps.StartStream<LabOrder>(order.Id, placed));
    }
}
