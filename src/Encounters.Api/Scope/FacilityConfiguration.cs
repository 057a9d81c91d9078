namespace Encounters.Scope;

/// <summary>
/// A facility's configuration of one kind (close-gate rules, staffing rules) is one stream of change events; its
/// current state is the stream's inline projection, and any earlier state is the stream folded up to then.
/// </summary>
public static class FacilityConfiguration
{
    public static Guid StreamOf(string kind, string facilityId) => DerivedIds.Of($"{kind}:{facilityId}");

    /// <summary>A change names its whole new set of rules, each one known, and why.</summary>
    public static ProblemDetails Validate(string[]? rules, string[] known, string? reason)
    {
        var errors = Reasons.Errors(reason);
        if (rules is null || rules.Except(known).Any()) errors["rules"] = [$"A list drawn from: {string.Join(", ", known)}."];
        return Problems.Validation(errors);
    }

    public static async Task<T?> LoadAsync<T>(IQuerySession session, Guid stream, DateTimeOffset? asOf, CancellationToken ct)
        where T : class =>
        asOf is null
            ? await session.LoadAsync<T>(stream, ct)
            : await session.Events.AggregateStreamAsync<T>(stream, timestamp: asOf, token: ct);
}
