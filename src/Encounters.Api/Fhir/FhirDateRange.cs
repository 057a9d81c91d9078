using System.Globalization;
using Encounters.Requests;
using Microsoft.Extensions.Primitives;

namespace Encounters.Fhir;

/// <summary>
/// A FHIR date search (<c>date=ge2026-01-01&amp;date=lt2026-02</c>): prefixes eq, ge, gt, le, lt on a year, month, day or
/// instant, all values combined into one window [From, To). Dates outside the clinical bounds are refused, not searched.
/// </summary>
public sealed record FhirDateRange(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly FhirDateRange Always = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    /// <summary>The days the window touches, [FromDay, ToDay), for values kept as dates (a birth date, a visit's day).</summary>
    public DateOnly FromDay => DateOnly.FromDateTime(From.UtcDateTime);

    public DateOnly ToDay => To == DateTimeOffset.MaxValue ? DateOnly.MaxValue
        : To.UtcDateTime.TimeOfDay == TimeSpan.Zero ? DateOnly.FromDateTime(To.UtcDateTime) : DateOnly.FromDateTime(To.UtcDateTime).AddDays(1);

    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    /// <summary>The window, or the reason a value is refused.</summary>
    public static (FhirDateRange? Range, string? Error) Parse(string name, StringValues values, DateTimeOffset now)
    {
        var range = Always;
        foreach (var raw in values)
        {
            if (string.IsNullOrEmpty(raw)) return (null, $"{name}: a value is required.");
            var prefix = raw.Length > 2 && char.IsAsciiLetter(raw[0]) ? raw[..2] : "eq";
            var text = prefix == "eq" && !raw.StartsWith("eq") ? raw : raw[2..];
            if (Period(text, now) is not var (start, end))
                return (null, $"{name}: '{text}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or an instant) between {ClinicalDates.Earliest:yyyy-MM-dd} and a year from now.");
            range = prefix switch
            {
                "eq" => range.Within(start, end),
                "ge" => range.Within(start, DateTimeOffset.MaxValue),
                "gt" => range.Within(end, DateTimeOffset.MaxValue),
                "le" => range.Within(DateTimeOffset.MinValue, end),
                "lt" => range.Within(DateTimeOffset.MinValue, start),
                _ => null!,
            };
            if (range is null) return (null, $"{name}: prefix '{prefix}' is not supported (eq, ge, gt, le, lt).");
        }
        return (range, null);
    }

    private FhirDateRange Within(DateTimeOffset from, DateTimeOffset to) => new(from > From ? from : From, to < To ? to : To);

    /// <summary>The period a value denotes at its precision: a whole year, month or day (UTC), or one instant.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End)? Period(string text, DateTimeOffset now)
    {
        // The start is checked before the end is computed: the year 9999 has no successor.
        return Start(text) is var (start, precision) && ClinicalDates.InRange(start, now) ? (start, precision(start)) : null;
    }

    private static (DateTimeOffset Start, Func<DateTimeOffset, DateTimeOffset> End)? Start(string text)
    {
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        var culture = CultureInfo.InvariantCulture;
        if (DateTimeOffset.TryParseExact(text, "yyyy", culture, utc, out var year)) return (year, start => start.AddYears(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM", culture, utc, out var month)) return (month, start => start.AddMonths(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", culture, utc, out var day)) return (day, start => start.AddDays(1));
        if (text.Contains('T') && DateTimeOffset.TryParse(text, culture, utc, out var instant)) return (instant, start => start.AddTicks(1));
        return null;
    }
}
