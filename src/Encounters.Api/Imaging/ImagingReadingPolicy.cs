using Encounters.Audit;

namespace Encounters.Imaging;

/// <summary>A facility decided whether a second radiologist verifies each report before release: who (metadata) and why.</summary>
public record ImagingReadingPolicyChanged(string FacilityId, bool SecondReading, string Reason, DateTimeOffset ChangedAt);

/// <summary>
/// Four eyes on imaging reports, per facility: on by default (a second radiologist verifies, never the author); a facility
/// with a single radiologist switches it off, and the author then releases the report directly.
/// </summary>
public sealed partial class ImagingReadingPolicy : IFacilityPolicy<ImagingReadingPolicy, ImagingReadingPolicyChanged>
{
    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public bool SecondReading { get; set; } = true;
    public string? Reason { get; set; }
    public long Version { get; set; }

    public static string Kind => "imaging-reading";

    public void Apply(ImagingReadingPolicyChanged e) => (FacilityId, SecondReading, Reason) = (e.FacilityId, e.SecondReading, e.Reason);

    public static Task<ImagingReadingPolicy> LoadAsync(IQuerySession session, string facilityId, DateTimeOffset? asOf, CancellationToken ct) =>
        FacilityConfiguration.LoadAsync<ImagingReadingPolicy, ImagingReadingPolicyChanged>(session, facilityId, asOf, ct);

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventType<ImagingReadingPolicyChanged>();
        opts.Projections.Snapshot<ImagingReadingPolicy>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
    }
}

public record ConfigureImagingReading(bool? SecondReading, string? Reason);

public static class ImagingReadingPolicyEndpoints
{
    /// <summary>Whether this facility requires a second radiologist's verification, now or as it stood at <c>?asOf=</c>.</summary>
    [NoPatientData]
    [WolverineGet("/api/admin/imaging-reading", Name = "GetImagingReadingPolicy"), Authorize(Actions.ReadSettings)]
    public static Task<ImagingReadingPolicy> Get(DateTimeOffset? asOf, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ImagingReadingPolicy.LoadAsync(session, scope.FacilityId, asOf, ct);
}

public static class ConfigureImagingReadingEndpoint
{
    public static ProblemDetails Validate(ConfigureImagingReading command)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.SecondReading is null) errors["secondReading"] = ["true or false."];
        Requests.Limits.Text(errors, "reason", command.Reason, Requests.Limits.Reason, required: true);
        return Problems.Validation(errors);
    }

    /// <summary>Switches four eyes on imaging reports on or off for this facility, with a reason.</summary>
    [WolverinePut("/api/admin/imaging-reading", Name = "ConfigureImagingReading"), Authorize(Actions.ConfigureFacility)]
    public static async Task<ImagingReadingPolicy> Put(ConfigureImagingReading command, CurrentScope scope, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var changed = new ImagingReadingPolicyChanged(scope.FacilityId, command.SecondReading!.Value, command.Reason!.Trim(), clock.GetUtcNow());
        return await FacilityConfiguration.ChangeAsync<ImagingReadingPolicy, ImagingReadingPolicyChanged>(session, scope.FacilityId, changed, ct);
    }
}
