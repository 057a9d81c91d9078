using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Encounters.Encounters;
using Encounters.Patients;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using Marten.Linq;

namespace Encounters.Audit;

/// <summary>Someone saw a chart: a patient record, an encounter or part of it, a lab report, a list that shows the patient.</summary>
public record ChartViewed(Guid PatientId, string Resource, Guid ResourceId, string Path, DateTimeOffset ViewedAt, string? Purpose = null,
    Guid? EmergencyAccessGrantId = null);

/// <summary>Someone exported a period of the audit trail (which names patients and who saw them).</summary>
public record AuditTrailExported(string Query, DateTimeOffset ExportedAt);

/// <summary>
/// Read auditing by declaration: every /api and /fhir GET must say whether it shows patient data, or the service does not start.
/// Declared reads get <see cref="ChartReads.RecordAsync{T}"/> after the endpoint and before the response is written
/// (committed by <see cref="ChartReadWriter"/>, possibly together with other reads).
/// </summary>
public sealed class ReadAuditPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HttpMethods.Contains("GET") && ApiSurface.CoversRoute(c.RoutePattern!.RawText)))
        {
            var declared = chain.Method.Method.GetCustomAttribute<ReadsChartAttribute>();
            if (declared is null)
            {
                var none = chain.Method.Method.GetCustomAttribute<NoPatientDataAttribute>()
                           ?? throw new InvalidOperationException($"GET {chain.RoutePattern!.RawText} must declare [ReadsChart] or [NoPatientData].");
                chain.Metadata.WithMetadata(none);
                continue;
            }

            chain.Metadata.WithMetadata(declared);
            if (chain.ResourceType is { } type && type != typeof(void))
                chain.Postprocessors.Add(new MethodCall(typeof(ChartReads), typeof(ChartReads).GetMethod(nameof(ChartReads.RecordAsync))!.MakeGenericMethod(type)));
        }
    }
}

public static class ChartReads
{
    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> Properties = new();

    /// <summary>Appends one <see cref="ChartViewed"/> per patient the response shows, committed before it is sent.</summary>
    public static async Task RecordAsync<T>(HttpContext http, T? resource, IDocumentStore store, CurrentScope scope, ChartReadWriter writer)
    {
        if (resource is null || http.Response.StatusCode >= 400) return;
        var declared = http.GetEndpoint()!.Metadata.GetMetadata<ReadsChartAttribute>()!;
        var routeId = Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id) ? id : Guid.Empty;

        HashSet<Guid> patients;
        if (resource is IShowsPatients shows) patients = shows.PatientsShown.ToHashSet();
        else
        {
            await using var query = store.QuerySession(scope.TenantId);
            patients = await PatientsShownAsync(resource, routeId, query, http.RequestAborted);
        }
        if (patients.Count == 0) return;

        var stamp = EventStamp.Of(scope, http);
        var now = DateTimeOffset.UtcNow;
        var path = http.Request.Path + http.Request.QueryString;
        var purpose = scope.EmergencyGrant is null ? declared.Purpose : "emergency";
        await writer.AppendAsync(scope.TenantId, stamp,
            patients.Select(patient => new ChartViewed(patient, declared.Resource, routeId, path, now, purpose, scope.EmergencyGrant)).ToArray());
        Observability.BusinessMetrics.ReadAudits.Add(patients.Count, new("resource", declared.Resource),
            new("purpose", purpose));
    }

    /// <summary>The export is recorded before the first line is streamed.</summary>
    public static async Task RecordExportAsync(HttpContext http, IDocumentStore store, CurrentScope scope)
    {
        await using var session = store.LightweightSession(scope.TenantId);
        EventMetadataMiddleware.Before(session, scope, http);
        session.Events.StartStream(Guid.CreateVersion7(), new AuditTrailExported(http.Request.QueryString.ToString(), DateTimeOffset.UtcNow));
        await session.SaveChangesAsync(http.RequestAborted);
    }

    /// <summary>
    /// Who a response shows: each item's PatientId, else its encounter's patient; a response that names nobody (an
    /// empty page of a chart) shows the patient of the encounter or patient in the route.
    /// </summary>
    private static async Task<HashSet<Guid>> PatientsShownAsync(object resource, Guid routeId, IQuerySession session, CancellationToken ct)
    {
        var items = resource is IPage page ? page.Rows : resource is IEnumerable list and not string ? list.Cast<object>() : [resource];
        var patients = new HashSet<Guid>();
        var encounters = new HashSet<Guid>();
        foreach (var item in items)
        {
            if (Read(item, "PatientId") is Guid patient && patient != Guid.Empty) patients.Add(patient);
            else if (item is PatientResponse shown) patients.Add(shown.Id);
            else if (Read(item, "EncounterId") is Guid encounter) encounters.Add(encounter);
        }

        if (patients.Count == 0 && encounters.Count == 0 && routeId != Guid.Empty)
        {
            encounters.Add(routeId);
            if (await session.LoadAsync<Patient>(routeId, ct) is not null) patients.Add(routeId);
        }

        if (encounters.Count > 0)
        {
            patients.UnionWith(await session.QueryAsync(new PatientsOfEncounters { Ids = encounters.ToArray() }, ct));
        }
        return patients;
    }

    private static object? Read(object item, string name) =>
        Properties.GetOrAdd((item.GetType(), name), key => key.Item1.GetProperty(key.Item2))?.GetValue(item);
}

/// <summary>The patients of some visits: compiled, since every timeline and task list read asks it.</summary>
public sealed class PatientsOfEncounters : ICompiledListQuery<EncounterView, Guid>
{
    public Guid[] Ids { get; set; } = [];

    public Expression<Func<IMartenQueryable<EncounterView>, IEnumerable<Guid>>> QueryIs() =>
        views => views.Where(v => v.Id.IsOneOf(Ids)).Select(v => v.PatientId);
}
