namespace Encounters.Requests;

/// <summary>
/// Every size limit of the API in one place (docs/api.md, "Limits"). Each is refused with a 4xx problem
/// before it can cost memory, a database round trip or a 500.
/// </summary>
public static class Limits
{
    /// <summary>Request bodies: a 20,000-character note of escaped non-ASCII text fits several times over.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Any string in a body: the ceiling above every field's own limit (the longest is a clinical note).</summary>
    public const int MaxString = 20_000;

    /// <summary>
    /// /health/ready reports degraded when an asynchronous projection is more than this many events behind (default of
    /// Health:ProjectionLagDegraded): a few seconds of a busy clinic network's writes.
    /// </summary>
    public const long ProjectionLagDegraded = 1_000;

    /// <summary>Items in any array of a body (order items, analytes, diagnoses, ranges, close-gate rules).</summary>
    public const int MaxItems = 100;

    /// <summary>Free-text fields, by kind.</summary>
    public const int Name = 200, Code = 64, Note = 2_000, Reason = 1_000, ClinicalText = MaxString;

    /// <summary>Any query-string value (search terms, ids, filters).</summary>
    public const int MaxQueryValue = 200;

    /// <summary>A list's <c>after</c> cursor: the last row's sort keys, which may hold a name of <see cref="Name"/> characters.</summary>
    public const int MaxCursor = 1_000;

    /// <summary>Turnaround and audit windows: at most a year and a day.</summary>
    public const int MaxRangeDays = 366;

    /// <summary>
    /// How long plumbing rows are kept before Wolverine's reapers delete them (docs/ARCHITECTURE.md, "Retention"): a stored
    /// idempotent response as long as a client plausibly retries, a handled inbox envelope as long as a redelivery of it
    /// could arrive, a dead letter long enough to be looked into.
    /// </summary>
    public static readonly TimeSpan IdempotentResponses = TimeSpan.FromHours(24), HandledEnvelopes = TimeSpan.FromMinutes(5),
        DeadLetters = TimeSpan.FromDays(30);

    /// <summary>The field's error, if its text is missing (when required) or longer than <paramref name="max"/>.</summary>
    public static void Text(Dictionary<string, string[]> errors, string field, string? value, int max, bool required = false)
    {
        if (required && string.IsNullOrWhiteSpace(value)) errors[field] = [$"Required, at most {max} characters."];
        else if (value is { Length: var length } && length > max) errors[field] = [$"At most {max} characters."];
    }

    /// <summary>The field's error, if the array has more than <paramref name="max"/> items.</summary>
    public static void Items<T>(Dictionary<string, string[]> errors, string field, T[]? value, int max = MaxItems)
    {
        if (value is { Length: var count } && count > max) errors[field] = [$"At most {max} items."];
    }
}

/// <summary>Sane bounds for clinical dates and query windows, defined once.</summary>
public static class ClinicalDates
{
    /// <summary>No clinical record predates 1900; nothing is scheduled or due more than a year ahead.</summary>
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    public static DateOnly Latest(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).AddYears(1);

    public static bool InRange(DateOnly date, DateTimeOffset now) => date >= Earliest && date <= Latest(now);

    public static bool InRange(DateTimeOffset at, DateTimeOffset now) => InRange(DateOnly.FromDateTime(at.UtcDateTime), now);

    /// <summary>A from/to window: both given, from before to, at most <see cref="Limits.MaxRangeDays"/> apart.</summary>
    public static Dictionary<string, string[]> Window(DateTimeOffset? from, DateTimeOffset? to, bool required)
    {
        if (!required && (from is null || to is null)) return [];
        if (from is not { } start || to is not { } end || start >= end)
            return new() { ["from"] = ["from and to (ISO 8601) are required, from before to."] };
        return end - start > TimeSpan.FromDays(Limits.MaxRangeDays)
            ? new() { ["to"] = [$"At most {Limits.MaxRangeDays} days after from."] }
            : [];
    }
}
