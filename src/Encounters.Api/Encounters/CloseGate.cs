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
        new("critical-results-acknowledged", "A critical lab result has not been acknowledged.", (_, lab) => lab.UnacknowledgedCriticalResults == 0),
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

/// <summary>Which close-gate rules a facility enforces (document id = facility id).</summary>
public sealed class CloseGatePolicy
{
    public string Id { get; set; } = "";
    public string[] Rules { get; set; } = CloseGate.DefaultRuleNames;

    public static CloseGatePolicy Default(string facilityId) => new() { Id = facilityId };
}

public record ConfigureCloseGate(string[]? Rules);

public static class GetCloseGatePolicyEndpoint
{
    [NoPatientData]
    [WolverineGet("/api/admin/close-gate", Name = "GetCloseGatePolicy"), Authorize(Actions.ReadSettings)]
    public static async Task<CloseGatePolicy> Get(IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await session.LoadAsync<CloseGatePolicy>(scope.FacilityId, ct) ?? CloseGatePolicy.Default(scope.FacilityId);
}

public static class ConfigureCloseGateEndpoint
{
    public static ProblemDetails Validate(ConfigureCloseGate command) =>
        Problems.Validation(command.Rules is null || command.Rules.Except(CloseGate.RuleNames).Any()
            ? new() { ["rules"] = [$"A list drawn from: {string.Join(", ", CloseGate.RuleNames)}."] }
            : []);

    /// <summary>Sets the facility's close-gate rules (an empty list lets any in-progress encounter close).</summary>
    [WolverinePut("/api/admin/close-gate", Name = "ConfigureCloseGate"), Authorize(Actions.ConfigureFacility)]
    public static (CloseGatePolicy, IMartenOp) Put(ConfigureCloseGate command, CurrentScope scope)
    {
        var policy = new CloseGatePolicy { Id = scope.FacilityId, Rules = command.Rules!.Distinct().ToArray() };
        return (policy, MartenOps.Store(policy));
    }
}
