namespace Encounters.Security;

/// <summary>A facility switched staffing rules on or off: who (metadata) and why, like any configuration.</summary>
public record StaffingRulesChanged(string FacilityId, string[] Rules, string Reason, DateTimeOffset ChangedAt);

/// <summary>
/// The staffing rules a facility has switched on (none by default): grants beyond the permission matrix for clinics
/// staffed differently, e.g. a lab of technicians only (see <see cref="Permissions.StaffingGrants"/>).
/// </summary>
public sealed partial class StaffingRules : IFacilityPolicy<StaffingRules, StaffingRulesChanged>
{
    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public string[] Rules { get; set; } = [];
    public string? Reason { get; set; }
    public long Version { get; set; }

    public static string Kind => "staffing-rules";

    public void Apply(StaffingRulesChanged e) => (FacilityId, Rules, Reason) = (e.FacilityId, e.Rules, e.Reason);

    public static Task<StaffingRules> LoadAsync(IQuerySession session, string facilityId, DateTimeOffset? asOf, CancellationToken ct) =>
        FacilityConfiguration.LoadAsync<StaffingRules, StaffingRulesChanged>(session, facilityId, asOf, ct);

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventType<StaffingRulesChanged>();
        opts.Projections.Snapshot<StaffingRules>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
    }
}

public record ConfigureStaffingRules(string[]? Rules, string? Reason);

public static class StaffingRulesEndpoints
{
    /// <summary>The facility's staffing rules now, or as they stood at <c>?asOf=</c>.</summary>
    [NoPatientData]
    [WolverineGet("/api/admin/staffing-rules", Name = "GetStaffingRules"), Authorize(Actions.ReadSettings)]
    public static Task<StaffingRules> Get(DateTimeOffset? asOf, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        StaffingRules.LoadAsync(session, scope.FacilityId, asOf, ct);
}

public static class ConfigureStaffingRulesEndpoint
{
    public static ProblemDetails Validate(ConfigureStaffingRules command) =>
        FacilityConfiguration.Validate(command.Rules, [.. Permissions.StaffingGrants.Keys], command.Reason);

    /// <summary>Switches the facility's staffing rules (the list is the whole new set), with a reason.</summary>
    [WolverinePut("/api/admin/staffing-rules", Name = "ConfigureStaffingRules"), Authorize(Actions.ConfigureFacility)]
    public static async Task<StaffingRules> Put(ConfigureStaffingRules command, CurrentScope scope, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var changed = new StaffingRulesChanged(scope.FacilityId, command.Rules!.Distinct().ToArray(), command.Reason!.Trim(), clock.GetUtcNow());
        return await FacilityConfiguration.ChangeAsync<StaffingRules, StaffingRulesChanged>(session, scope.FacilityId, changed, ct);
    }
}
