using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Encounters.Audit;
using JasperFx.Events;
using Encounters.Requests;

namespace Encounters.Billing;

/// <summary>What a charge is for (FHIR ChargeItem.code's kind).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChargeCategory>))]
public enum ChargeCategory
{
    [JsonStringEnumMemberName("consultation")] Consultation,
    [JsonStringEnumMemberName("lab")] Lab,
    [JsonStringEnumMemberName("imaging")] Imaging,
    [JsonStringEnumMemberName("medication")] Medication,
}

/// <summary>A price from <see cref="ValidFrom"/> (inclusive) until <see cref="ValidTo"/> (exclusive) or the next price of the code.</summary>
public record PriceSet(Guid PriceListId, string FacilityId, ChargeCategory Category, string Code, string? Description, decimal Amount,
    string Currency, DateOnly ValidFrom, DateOnly? ValidTo, DateTimeOffset SetAt);

/// <summary>A facility's price list: a stream of prices with validity dates, so a change never rewrites what was charged.</summary>
public sealed partial record PriceList(Guid Id, string FacilityId, string Currency) : IVersioned
{
    public long Version { get; set; }
    public IReadOnlyList<PriceSet> Prices { get; init; } = [];

    public static PriceList Create(PriceSet e) => new(e.PriceListId, e.FacilityId, e.Currency) { Prices = [e] };
    public PriceList Apply(PriceSet e) => this with { Prices = [.. Prices, e] };

    /// <summary>The price in force on the day of <paramref name="at"/>: the latest valid-from, and of those the latest set.</summary>
    public PriceSet? PriceAt(ChargeCategory category, string code, DateTimeOffset at)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return Prices.Where(p => p.Category == category && p.Code == code && p.ValidFrom <= day && (p.ValidTo is null || day < p.ValidTo))
            .OrderBy(p => p.ValidFrom).ThenBy(p => p.SetAt).LastOrDefault();
    }

    public static Guid IdFor(string tenant, string facility) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"price-list|{tenant}|{facility}")).AsSpan(0, 16));
}

public static partial class Money
{
    [GeneratedRegex(@"\A[A-Z]{3}\z")]
    private static partial Regex Iso4217();

    public const decimal MaxAmount = 1_000_000_000m;

    /// <summary>An amount's error: positive (or zero when allowed), at most 4 decimals and a billion.</summary>
    public static void Amount(Dictionary<string, string[]> errors, string field, decimal? amount, bool allowZero = false)
    {
        if (amount is not { } a || a < 0 || (a == 0 && !allowZero) || a > MaxAmount || a.Scale > 4 && a != Math.Round(a, 4))
            errors[field] = [$"Required: {(allowZero ? "zero or more" : "more than zero")}, at most {MaxAmount:N0}, at most 4 decimals."];
    }

    public static void Currency(Dictionary<string, string[]> errors, string field, string? currency)
    {
        if (currency is null || !Iso4217().IsMatch(currency)) errors[field] = ["An ISO 4217 code such as USD, EUR, NGN or GHS."];
    }
}

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
                : list.Aggregate is { } existing ? scope.Guard(existing.FacilityId, list.CurrentVersion ?? existing.Version, "Price list")
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

public static class GetPricesEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize) => Problems.Validation(Paging.Errors(page, pageSize));

    /// <summary>Every price this facility has set, by code and date.</summary>
    [NoPatientData]
    [WolverineGet("/api/billing/prices", Name = "GetPrices"), Authorize(Actions.ReadPrices)]
    public static async Task<Page<PriceSet>> Get(int? page, int? pageSize, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var list = await session.LoadAsync<PriceList>(PriceList.IdFor(session.TenantId, scope.FacilityId), ct);
        return Paging.Of((list?.Prices ?? []).OrderBy(p => p.Category).ThenBy(p => p.Code).ThenBy(p => p.ValidFrom).ToList(), page, pageSize);
    }
}
