namespace Encounters.Scope;

/// <summary>
/// A facility's configuration of one kind (close-gate rules, staffing rules, imaging reading) is one stream of change
/// events; its current state is the stream's inline projection, and any earlier state is the stream folded up to then.
/// </summary>
public interface IFacilityPolicy<TSelf, in TChange> where TSelf : class, IFacilityPolicy<TSelf, TChange>, new()
{
    /// <summary>The kind of configuration: with the facility, it names the stream.</summary>
    static abstract string Kind { get; }

    Guid Id { get; set; }
    string FacilityId { get; set; }
    long Version { get; set; }

    void Apply(TChange change);
}

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

    /// <summary>The facility's configuration now, or as it stood at <paramref name="asOf"/>; the defaults until it is first changed.</summary>
    public static async Task<T> LoadAsync<T, TChange>(IQuerySession session, string facilityId, DateTimeOffset? asOf, CancellationToken ct)
        where T : class, IFacilityPolicy<T, TChange>, new()
    {
        var stream = StreamOf(T.Kind, facilityId);
        var stored = asOf is null
            ? await session.LoadAsync<T>(stream, ct)
            : await session.Events.AggregateStreamAsync<T>(stream, timestamp: asOf, token: ct);
        return stored ?? new T { Id = stream, FacilityId = facilityId };
    }

    /// <summary>Records a change of the caller's facility's configuration and answers the configuration it leaves.</summary>
    public static async Task<T> ChangeAsync<T, TChange>(IDocumentSession session, string facilityId, TChange change, CancellationToken ct)
        where T : class, IFacilityPolicy<T, TChange>, new() where TChange : notnull
    {
        var policy = await LoadAsync<T, TChange>(session, facilityId, null, ct);
        session.Events.Append(policy.Id, change);
        policy.Apply(change);
        policy.Version++;
        return policy;
    }
}
