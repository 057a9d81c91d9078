using System.Text.Json.Serialization;

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
public sealed partial record PriceList(Guid Id, string FacilityId, string Currency) : Scope.IFacilityScoped
{
    public static string Resource => "Price list";

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

    public static Guid IdFor(string tenant, string facility) => DerivedIds.Of($"price-list|{tenant}|{facility}");
}
