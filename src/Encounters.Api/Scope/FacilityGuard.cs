using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using JasperFx.Events;
using Wolverine.Middleware;

namespace Encounters.Scope;

/// <summary>Something one facility keeps: another facility's callers never learn it exists.</summary>
public interface IFacilityOwned
{
    string FacilityId { get; }

    /// <summary>What the caller asked for, as a 404 names it ("Encounter", "Result").</summary>
    static abstract string Resource { get; }
}

/// <summary>Part of a patient's chart: readable from another facility under a break-glass grant for that patient.</summary>
public interface IPatientChart : IFacilityOwned
{
    Guid PatientId { get; }
}

/// <summary>A stream kept by one facility: the write model a command loads, whose version If-Match names.</summary>
public interface IFacilityScoped : IFacilityOwned, IVersioned;

/// <summary>
/// A decision made on what the person reviewed (four eyes: verify, release) must name that version in
/// <c>If-Match</c> (428 without it).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReviewedAttribute : Attribute;

/// <summary>A command whose purpose is to reach another facility's record (break-glass): the guard stands aside.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnyFacilityAttribute : Attribute;

/// <summary>
/// The one facility check of every command: right after a command loads the stream it acts on (the first
/// <see cref="IFacilityScoped"/> write model or its event stream), and before its own <c>Validate</c>, a stream of another
/// facility is not found (404, never a leak) and a stale <c>If-Match</c> is 412.
/// </summary>
public sealed class FacilityGuardPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => ApiSurface.CoversRoute(c.RoutePattern!.RawText) &&
                                                !c.Method.Method.IsDefined(typeof(AnyFacilityAttribute))))
        {
            if (chain.IsWrite()) GuardCommand(chain, rules);
            else GuardRead(chain, rules);
        }
    }

    private static void GuardCommand(HttpChain chain, GenerationRules rules)
    {
        var loaded = chain.Middleware.SelectMany(frame => frame.Creates).Where(v => Guarded(v.VariableType) is not null).ToArray();
        if (loaded.Length == 0) return;
        if (chain.Method.Method.GetCustomAttribute<ReviewedAttribute>() is { } reviewed) chain.Metadata.WithMetadata(reviewed);

        // The first stream loaded is the one the command acts on, so the one If-Match names.
        var calls = loaded.Select((variable, index) =>
        {
            var (method, scoped) = Guarded(variable.VariableType)!.Value;
            var call = Call(method, scoped, variable);
            call.Arguments[2] = new Variable(typeof(bool), index == 0 ? "true" : "false");
            return call;
        });
        InsertBeforeEndpoint(chain, rules, loaded, calls);
    }

    /// <summary>A read of what it loads (before the endpoint) and of what it answers (before the answer is written).</summary>
    private static void GuardRead(HttpChain chain, GenerationRules rules)
    {
        var loaded = chain.Middleware.SelectMany(frame => frame.Creates).Where(v => typeof(IFacilityOwned).IsAssignableFrom(v.VariableType)).ToArray();
        if (loaded.Length > 0) InsertBeforeEndpoint(chain, rules, loaded, loaded.Select(v => Call(nameof(FacilityGuard.ShownAsync), v.VariableType, v)));

        if (chain.ResourceType is not { } type || !typeof(IFacilityOwned).IsAssignableFrom(type)) return;
        var shown = new MethodCall(typeof(FacilityGuard), typeof(FacilityGuard).GetMethod(nameof(FacilityGuard.ShownAsync))!.MakeGenericMethod(type));
        rules.TryFindContinuationHandler(chain, shown, out var continuation);
        chain.Postprocessors.Insert(0, continuation!);
        chain.Postprocessors.Insert(0, shown);
    }

    private static MethodCall Call(string method, Type scoped, Variable variable)
    {
        var call = new MethodCall(typeof(FacilityGuard), typeof(FacilityGuard).GetMethod(method)!.MakeGenericMethod(scoped));
        call.Arguments[0] = variable;
        return call;
    }

    /// <summary>After the last load (and the framework's own checks of it), before the endpoint's own Validate.</summary>
    private static void InsertBeforeEndpoint(HttpChain chain, GenerationRules rules, Variable[] loaded, IEnumerable<MethodCall> calls)
    {
        var lastLoad = loaded.Max(v => chain.Middleware.FindIndex(frame => frame.Creates.Contains(v)));
        var at = chain.Middleware.FindIndex(lastLoad + 1, frame => frame is MethodCall m && m.HandlerType == chain.Method.HandlerType);
        if (at < 0) at = chain.Middleware.Count;
        foreach (var call in calls.Reverse())
        {
            rules.TryFindContinuationHandler(chain, call, out var continuation);
            chain.Middleware.Insert(at, continuation!);
            chain.Middleware.Insert(at, call);
        }
    }

    private static (string Method, Type Scoped)? Guarded(Type type)
    {
        if (typeof(IFacilityScoped).IsAssignableFrom(type)) return (nameof(FacilityGuard.Check), type);
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEventStream<>) &&
               typeof(IFacilityScoped).IsAssignableFrom(type.GetGenericArguments()[0])
            ? (nameof(FacilityGuard.CheckStream), type.GetGenericArguments()[0])
            : null;
    }
}

public static class FacilityGuard
{
    /// <summary>Nothing loaded is not this check's to refuse (a command may create the stream, or say 404 itself).</summary>
    public static ProblemDetails Check<T>(T? scoped, CurrentScope scope, bool target) where T : IFacilityScoped =>
        scoped is null ? WolverineContinue.NoProblems : Decide(scoped, scoped.Version, T.Resource, scope, target);

    public static ProblemDetails CheckStream<T>(IEventStream<T>? stream, CurrentScope scope, bool target) where T : class, IFacilityScoped =>
        stream?.Aggregate is not { } scoped
            ? WolverineContinue.NoProblems
            : Decide(scoped, stream.CurrentVersion ?? scoped.Version, T.Resource, scope, target);

    /// <summary>
    /// Another facility's record is not found, unless it is part of a chart the caller holds a break-glass grant for
    /// (<see cref="CurrentScope.SeesAsync"/>, which also marks the read as an emergency one for the audit).
    /// </summary>
    public static async Task<ProblemDetails> ShownAsync<T>(T? owned, CurrentScope scope, IQuerySession session, CancellationToken ct)
        where T : IFacilityOwned =>
        owned is null || scope.IsHere(owned) ||
        owned is IPatientChart chart && await scope.SeesAsync(session, chart.FacilityId, chart.PatientId, ct)
            ? WolverineContinue.NoProblems
            : Problems.NotFound(T.Resource);

    /// <summary>
    /// Whether a record is of the caller's facility: the one facility rule, which the guard applies to what an endpoint
    /// loads and answers, and a command to the records its body names (refused there as a field error).
    /// </summary>
    public static bool IsHere(this CurrentScope scope, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] IFacilityOwned? owned) =>
        owned is not null && owned.FacilityId == scope.FacilityId;

    /// <summary>404 for a stream that holds nothing yet (a command on an existing stream).</summary>
    public static ProblemDetails Found<T>(this IEventStream<T>? stream) where T : class, IFacilityScoped =>
        stream?.Aggregate is null ? Problems.NotFound(T.Resource) : WolverineContinue.NoProblems;

    private static ProblemDetails Decide(IFacilityOwned scoped, long version, string resource, CurrentScope scope, bool target)
    {
        if (!scope.IsHere(scoped)) return Problems.NotFound(resource);
        if (!target) return WolverineContinue.NoProblems;
        if (scope.ExpectedVersion is { } expected && expected != version) return Problems.PreconditionFailed(version);
        if (scope.Reviewed && scope.ExpectedVersion is null) return Problems.PreconditionRequired(version);
        return WolverineContinue.NoProblems;
    }
}
