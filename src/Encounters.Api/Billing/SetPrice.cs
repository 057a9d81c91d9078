using Encounters.Requests;
using JasperFx.Events;

namespace Encounters.Billing;

public record SetPrice(ChargeCategory? Category, string? Code, string? Description, decimal? Amount, string? Currency, DateOnly? ValidFrom,
    DateOnly? ValidTo);

public static class SetPriceEndpoint
{
    public static Task<IEventStream<PriceList>> LoadAsync(IDocumentSession session, CurrentScope scope, CancellationToken ct) =>
        session.Events.FetchForWriting<PriceList>(PriceList.IdFor(session.TenantId, scope.FacilityId), ct);

    public static ProblemDetails Validate(SetPrice command, [NotBody] IEventStream<PriceList> list, CurrentScope scope, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.Category is not { } category || !Enum.IsDefined(category)) errors["category"] = ["consultation, lab, imaging or medication."];
        Limits.Text(errors, "code", command.Code, Limits.Code, required: true);
        Limits.Text(errors, "description", command.Description, Limits.Name);
        Money.Amount(errors, "amount", command.Amount, allowZero: true);
        Money.Currency(errors, "currency", command.Currency);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (command.ValidFrom is not { } from || from < today || !ClinicalDates.InRange(from, clock.GetUtcNow()))
            errors["validFrom"] = ["Required: from today to a year ahead (past charges keep their prices)."];
        else if (command.ValidTo is { } to && (to <= from || !ClinicalDates.InRange(to, clock.GetUtcNow()))) errors["validTo"] = ["After validFrom, within a year."];
        if (errors.Count > 0) return Problems.Validation(errors);
        return scope.ExpectedVersion is { } && list.Aggregate is null ? Problems.PreconditionFailed(0)
            : list.Aggregate is { } current && current.Currency != command.Currency
                ? Problems.Conflict("price.currency_mismatch", $"This facility prices in {current.Currency}.", new { currency = current.Currency })
                : WolverineContinue.NoProblems;
    }

    /// <summary>Sets the price of a consultation (by visit type), a lab test (by catalog code), an imaging study or a medicine, from a date.</summary>
    [WolverinePost("/api/billing/prices", Name = "SetPrice"), Authorize(Actions.ManagePrices)]
    public static PriceList Post(SetPrice command, [NotBody] IEventStream<PriceList> list, CurrentScope scope, TimeProvider clock)
    {
        var set = new PriceSet(list.Id, scope.FacilityId, command.Category!.Value, command.Code!.Trim(), command.Description?.Trim(),
            command.Amount!.Value, command.Currency!, command.ValidFrom!.Value, command.ValidTo, clock.GetUtcNow());
        var version = list.CurrentVersion ?? 0;
        list.AppendOne(set);
        return (list.Aggregate?.Apply(set) ?? PriceList.Create(set)) with { Version = version + 1 };
    }
}
