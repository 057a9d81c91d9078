using System.Text.RegularExpressions;

namespace Encounters.Billing;

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
