using Encounters.Audit;

namespace Encounters.Encounters;

/// <summary>
/// What must be true before an encounter may close. Each rule is a small named function; a facility
/// chooses which apply (<see cref="CloseGatePolicy"/>), all but the optional ones by default.
/// </summary>
public static class CloseGate
{
    public record Rule(string Name, string Unmet, Func<Encounter, LabStatus, bool> IsMet, bool Optional = false);

    public static readonly Rule[] Rules =
    [
        new("vitals-recorded", "No vital signs have been recorded.", (e, _) => e.HasVitals),
        new("assessment-documented", "The assessment is not documented.", (e, _) => e.NoteVersion(NoteSection.Assessment) > 0),
        new("plan-documented", "The plan is not documented.", (e, _) => e.NoteVersion(NoteSection.Plan) > 0),
        new("critical-results-acknowledged", "A critical lab result or imaging finding has not been acknowledged.",
            (e, lab) => lab.UnacknowledgedCriticalResults == 0 && e.UnacknowledgedImagingFindings.Length == 0),
        new("lab-orders-resolved", "A lab order is neither released, cancelled nor marked results-to-follow.", (_, lab) => lab.OpenOrders == 0),
        new("prescriptions-signed", "A prescription of the visit is an unsigned draft.", (e, _) => e.DraftPrescriptions.Length == 0,
            Optional: true),
    ];

    public static readonly string[] RuleNames = Rules.Select(r => r.Name).ToArray();
    public static readonly string[] DefaultRuleNames = Rules.Where(r => !r.Optional).Select(r => r.Name).ToArray();

    public static IReadOnlyList<Rule> Unmet(Encounter encounter, LabStatus lab, CloseGatePolicy policy) =>
        Rules.Where(rule => policy.Rules.Contains(rule.Name) && !rule.IsMet(encounter, lab)).ToList();

    /// <summary>409 <c>encounter.close_gate</c> listing every unmet rule, or no problem.</summary>
    public static ProblemDetails Check(Encounter encounter, LabStatus lab, CloseGatePolicy policy) =>
        Unmet(encounter, lab, policy) is { Count: > 0 } unmet
            ? Problems.Conflict("encounter.close_gate", "The encounter cannot be closed yet.",
                new { unmetRules = unmet.Select(r => new { rule = r.Name, message = r.Unmet }).ToArray() })
            : WolverineContinue.NoProblems;
}

/// <summary>The lab facts the close gate needs, kept per encounter by the lab module (none until it orders).</summary>
public sealed class LabStatus
{
    public Guid Id { get; set; }
    public HashSet<Guid> OpenItems { get; set; } = [];
    public HashSet<Guid> UnacknowledgedCritical { get; set; } = [];

    public int OpenOrders => OpenItems.Count;
    public int UnacknowledgedCriticalResults => UnacknowledgedCritical.Count;

    public static readonly LabStatus None = new();
}

/// <summary>A facility chose which close-gate rules it enforces: configuration is a fact with who (metadata) and why.</summary>
public record CloseGateRulesChanged(string FacilityId, string[] Rules, string Reason, DateTimeOffset ChangedAt);

/// <summary>
/// Which close-gate rules a facility enforces: the projection of its close-gate stream (all rules until a first change),
/// readable as of any time by folding the stream up to then.
/// </summary>
public sealed partial class CloseGatePolicy : IFacilityPolicy<CloseGatePolicy, CloseGateRulesChanged>
{
    public Guid Id { get; set; }
    public string FacilityId { get; set; } = "";
    public string[] Rules { get; set; } = CloseGate.DefaultRuleNames;
    public string? Reason { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }
    public long Version { get; set; }

    public static string Kind => "close-gate";

    public void Apply(CloseGateRulesChanged e) => (FacilityId, Rules, Reason, ChangedAt) = (e.FacilityId, e.Rules, e.Reason, e.ChangedAt);

    public static Task<CloseGatePolicy> LoadAsync(IQuerySession session, string facilityId, DateTimeOffset? asOf, CancellationToken ct) =>
        FacilityConfiguration.LoadAsync<CloseGatePolicy, CloseGateRulesChanged>(session, facilityId, asOf, ct);

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventType<CloseGateRulesChanged>();
        opts.Projections.Snapshot<CloseGatePolicy>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
    }
}

public record ConfigureCloseGate(string[]? Rules, string? Reason);

public static class GetCloseGatePolicyEndpoint
{
    /// <summary>The facility's close-gate rules now, or as they stood at <c>?asOf=</c>.</summary>
    [NoPatientData]
    [WolverineGet("/api/admin/close-gate", Name = "GetCloseGatePolicy"), Authorize(Actions.ReadSettings)]
    public static Task<CloseGatePolicy> Get(DateTimeOffset? asOf, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        CloseGatePolicy.LoadAsync(session, scope.FacilityId, asOf, ct);
}

public static class ConfigureCloseGateEndpoint
{
    public static ProblemDetails Validate(ConfigureCloseGate command) =>
        FacilityConfiguration.Validate(command.Rules, CloseGate.RuleNames, command.Reason);

    /// <summary>Sets the facility's close-gate rules (an empty list lets any in-progress encounter close), with a reason.</summary>
    [WolverinePut("/api/admin/close-gate", Name = "ConfigureCloseGate"), Authorize(Actions.ConfigureFacility)]
    public static async Task<CloseGatePolicy> Put(ConfigureCloseGate command, CurrentScope scope, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var changed = new CloseGateRulesChanged(scope.FacilityId, command.Rules!.Distinct().ToArray(), command.Reason!.Trim(), clock.GetUtcNow());
        return await FacilityConfiguration.ChangeAsync<CloseGatePolicy, CloseGateRulesChanged>(session, scope.FacilityId, changed, ct);
    }
}
