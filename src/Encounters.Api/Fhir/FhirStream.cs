using JasperFx.Events;
using Hl7.Fhir.Serialization;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>Whose chart a stream belongs to, and where it is kept: read from the stream's first event.</summary>
public sealed record StreamOwner(string FacilityId, Guid PatientId) : IPatientChart
{
    public static string Resource => "Resource";
}

/// <summary>A stream folded up to one version: the module's own model at that version, the events so far, and the resource id.</summary>
public sealed record FhirFold<T>(T State, IReadOnlyList<IEvent> Events, string Id, string Tenant)
{
    public IEvent Last => Events[^1];
}

/// <summary>
/// How one FHIR resource type is read from an event stream. Every version of the stream is a version of the resource:
/// <c>meta.versionId</c> is the stream version and <c>meta.lastUpdated</c> the time of that version's event. The state at a
/// version is folded by the module's own model (<c>AggregateStreamAsync</c>), never re-implemented here.
/// </summary>
public sealed class FhirStream<T>(string type, Func<object, StreamOwner?> owner, Func<FhirFold<T>, R4.Resource?> map) where T : class
{
    public string Type => type;

    /// <summary>read (no version) or vread; a stream of another facility (without a break-glass grant) is not found.</summary>
    public async Task<FhirResponse> ReadAsync(Guid? stream, string id, string? versionText, IQuerySession session, CurrentScope scope,
        CancellationToken ct)
    {
        long? version = versionText is null ? null : long.TryParse(versionText, out var v) && v >= 1 ? v : -1;
        if (stream is not { } streamId || version == -1) return FhirResponse.NotFound(type, id);
        var events = await session.Events.FetchStreamAsync(streamId, version ?? 0, token: ct);
        if (events.Count == 0 || version > events[^1].Version || await OwnerSeenAsync(events, session, scope, ct) is not { } seen)
            return FhirResponse.NotFound(type, version is null ? id : $"{id}/_history/{version}");
        var resource = await MapAsync(streamId, id, events, session, scope.TenantId, ct);
        return resource is null ? FhirResponse.NotFound(type, id) : new FhirResponse(resource, patients: [seen.PatientId]);
    }

    /// <summary>_history of one resource: newest first, one entry per stream version, paged like any list.</summary>
    public async Task<FhirResponse> HistoryAsync(Guid? stream, string id, int? count, int? page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        if (FhirPage.Error(count, page) is { } invalid) return invalid;
        if (stream is not { } streamId) return FhirResponse.NotFound(type, id);
        var events = await session.Events.FetchStreamAsync(streamId, token: ct);
        if (events.Count == 0 || await OwnerSeenAsync(events, session, scope, ct) is not { } seen) return FhirResponse.NotFound(type, id);

        var paging = FhirPage.Of(count, page);
        var entries = new List<R4.Bundle.EntryComponent>();
        foreach (var e in events.Reverse().Skip(paging.Skip).Take(paging.Count))
        {
            var upTo = events.TakeWhile(x => x.Version <= e.Version).ToList();
            if (await MapAsync(streamId, id, upTo, session, scope.TenantId, ct) is not { } resource) continue;
            entries.Add(new R4.Bundle.EntryComponent
            {
                FullUrl = FhirLinks.FullUrl(request, type, id), Resource = resource,
                Request = new R4.Bundle.RequestComponent
                {
                    Method = e.Version == 1 ? R4.Bundle.HTTPVerb.POST : R4.Bundle.HTTPVerb.PUT,
                    Url = e.Version == 1 ? type : $"{type}/{id}",
                },
                Response = new R4.Bundle.ResponseComponent { Status = e.Version == 1 ? "201" : "200", LastModified = e.Timestamp },
            });
        }

        var bundle = paging.Bundle(request, R4.Bundle.BundleType.History, entries, events.Count);
        return new FhirResponse(bundle, patients: [seen.PatientId]);
    }

    /// <summary>The current version, for a search that has already kept to the caller's facility.</summary>
    public async Task<R4.Resource?> CurrentAsync(Guid stream, string id, IQuerySession session, string tenant, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(stream, token: ct);
        return events.Count == 0 ? null : await MapAsync(stream, id, events, session, tenant, ct);
    }

    public StreamOwner? OwnerOf(IReadOnlyList<IEvent> events) => events.Count == 0 ? null : owner(events[0].Data);

    /// <summary>The owner, if the one facility rule (<see cref="FacilityGuard.ShownAsync{T}"/>) lets this caller see the chart.</summary>
    private async Task<StreamOwner?> OwnerSeenAsync(IReadOnlyList<IEvent> events, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        OwnerOf(events) is { } found && await FacilityGuard.ShownAsync(found, scope, session, ct) is { Status: null } ? found : null;

    private async Task<R4.Resource?> MapAsync(Guid stream, string id, IReadOnlyList<IEvent> events, IQuerySession session, string tenant,
        CancellationToken ct)
    {
        var last = events[^1];
        var state = await session.Events.AggregateStreamAsync<T>(stream, last.Version, token: ct);
        if (state is null || map(new FhirFold<T>(state, events, id, tenant)) is not { } resource) return null;
        resource.Id = id;
        resource.Meta = new R4.Meta { VersionId = last.Version.ToString(), LastUpdated = last.Timestamp };
        return resource;
    }
}

/// <summary>_history of a resource that never changes after it is written: one entry, its only version.</summary>
public static class FhirHistory
{
    public static FhirResponse Single(FhirResponse read, HttpRequest request, int? count, int? page)
    {
        if (FhirPage.Error(count, page) is { } invalid) return invalid;
        if (read.Resource is R4.OperationOutcome) return read;
        var resource = read.Resource;
        var entry = new R4.Bundle.EntryComponent
        {
            FullUrl = FhirLinks.FullUrl(request, resource.TypeName, resource.Id), Resource = resource,
            Request = new R4.Bundle.RequestComponent { Method = R4.Bundle.HTTPVerb.POST, Url = resource.TypeName },
            Response = new R4.Bundle.ResponseComponent { Status = "201", LastModified = resource.Meta?.LastUpdated },
        };
        var paging = FhirPage.Of(count, page);
        return new FhirResponse(paging.Bundle(request, R4.Bundle.BundleType.History, paging.Number == 1 ? [entry] : [], 1), patients: read.PatientsShown);
    }
}

/// <summary>Search results: the current version of each match, as a searchset page showing their patients.</summary>
public static class FhirSearch
{
    public static Task<FhirResponse> PageAsync<T>(FhirStream<T> source, IReadOnlyList<(Guid Stream, string Id, Guid Patient)> page,
        long total, FhirPage paging, HttpRequest request, IQuerySession session, string tenant, CancellationToken ct) where T : class =>
        PageAsync(source, page, total, (long)paging.Number * paging.Count < total, null, paging, request, session, tenant, ct);

    public static async Task<FhirResponse> PageAsync<T>(FhirStream<T> source, IReadOnlyList<(Guid Stream, string Id, Guid Patient)> page,
        long? total, bool more, string? next, FhirPage paging, HttpRequest request, IQuerySession session, string tenant, CancellationToken ct)
        where T : class
    {
        var entries = new List<R4.Bundle.EntryComponent>();
        foreach (var (stream, id, _) in page)
            if (await source.CurrentAsync(stream, id, session, tenant, ct) is { } resource)
                entries.Add(Match(request, resource));
        return new FhirResponse(paging.Bundle(request, R4.Bundle.BundleType.Searchset, entries, total, more, next),
            patients: page.Select(p => p.Patient).Distinct().ToList());
    }

    public static R4.Bundle.EntryComponent Match(HttpRequest request, R4.Resource resource) => new()
    {
        FullUrl = FhirLinks.FullUrl(request, resource.TypeName, resource.Id), Resource = resource,
        Search = new R4.Bundle.SearchComponent { Mode = R4.Bundle.SearchEntryMode.Match },
    };
}
