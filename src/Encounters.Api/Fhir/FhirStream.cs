using JasperFx.Events;
using Hl7.Fhir.Serialization;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>Whose chart a stream belongs to, and where it is kept: read from the stream's first event.</summary>
public sealed record StreamOwner(string FacilityId, Guid PatientId) : IPatientChart
{
    public static string Resource => "Resource";
}

/// <summary>A stream folded up to one version: the module's own model at that version, the events so far, the resource id and whose chart it is.</summary>
public sealed record FhirFold<T>(T State, IReadOnlyList<IEvent> Events, string Id, string Tenant, StreamOwner Owner)
{
    public IEvent Last => Events[^1];
}

/// <summary>
/// How one FHIR resource type is read from an event stream. Every version of the stream is a version of the resource:
/// <c>meta.versionId</c> is the stream version and <c>meta.lastUpdated</c> the time of that version's event. The state at a
/// version is folded by the module's own model (<c>AggregateStreamAsync</c>), never re-implemented here. A resource that is
/// one part of a stream (a charge on an invoice) is <paramref name="created"/> by one of its events: its history starts there.
/// </summary>
public sealed class FhirStream<T>(string type, Func<object, IQuerySession, CancellationToken, Task<StreamOwner?>> owner,
    Func<FhirFold<T>, R4.Resource?> map, Func<object, string, bool>? created = null) where T : class
{
    /// <summary>A stream whose first event names the facility and the patient.</summary>
    public FhirStream(string type, Func<object, StreamOwner?> owner, Func<FhirFold<T>, R4.Resource?> map, Func<object, string, bool>? created = null)
        : this(type, (first, _, _) => Task.FromResult(owner(first)), map, created)
    {
    }

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
        var resource = await MapAsync(streamId, id, events, seen, session, scope.TenantId, ct);
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
        var since = created is null ? 0 : events.ToList().FindIndex(e => created(e.Data, id));
        if (since < 0) return FhirResponse.NotFound(type, id);

        var paging = FhirPage.Of(count, page);
        var entries = new List<R4.Bundle.EntryComponent>();
        foreach (var e in events.Skip(since).Reverse().Skip(paging.Skip).Take(paging.Count))
        {
            var upTo = events.TakeWhile(x => x.Version <= e.Version).ToList();
            if (await MapAsync(streamId, id, upTo, seen, session, scope.TenantId, ct) is not { } resource) continue;
            entries.Add(FhirHistory.Entry(request, resource, created: e == events[since]));
        }

        var bundle = paging.Bundle(request, R4.Bundle.BundleType.History, entries, events.Count - since);
        return new FhirResponse(bundle, patients: [seen.PatientId]);
    }

    /// <summary>The current version, for a search that has already kept to the caller's facility.</summary>
    public async Task<R4.Resource?> CurrentAsync(Guid stream, string id, IQuerySession session, string tenant, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(stream, token: ct);
        return await OwnerOfAsync(events, session, ct) is { } found ? await MapAsync(stream, id, events, found, session, tenant, ct) : null;
    }

    private async Task<StreamOwner?> OwnerOfAsync(IReadOnlyList<IEvent> events, IQuerySession session, CancellationToken ct) =>
        events.Count == 0 ? null : await owner(events[0].Data, session, ct);

    /// <summary>The owner, if the one facility rule (<see cref="FacilityGuard.ShownAsync{T}"/>) lets this caller see the chart.</summary>
    private async Task<StreamOwner?> OwnerSeenAsync(IReadOnlyList<IEvent> events, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await OwnerOfAsync(events, session, ct) is { } found && await FacilityGuard.ShownAsync(found, scope, session, ct) is { Status: null } ? found : null;

    private async Task<R4.Resource?> MapAsync(Guid stream, string id, IReadOnlyList<IEvent> events, StreamOwner owner, IQuerySession session,
        string tenant, CancellationToken ct)
    {
        var last = events[^1];
        var state = await session.Events.AggregateStreamAsync<T>(stream, last.Version, token: ct);
        if (state is null || map(new FhirFold<T>(state, events, id, tenant, owner)) is not { } resource) return null;
        resource.Id = id;
        resource.Meta = new R4.Meta { VersionId = last.Version.ToString(), LastUpdated = last.Timestamp };
        return resource;
    }
}

/// <summary>_history Bundles: one entry per version, newest first; the first version is a create, later ones updates.</summary>
public static class FhirHistory
{
    public static R4.Bundle.EntryComponent Entry(HttpRequest request, R4.Resource resource, bool created) => new()
    {
        FullUrl = FhirLinks.FullUrl(request, resource.TypeName, resource.Id), Resource = resource,
        Request = new R4.Bundle.RequestComponent
        {
            Method = created ? R4.Bundle.HTTPVerb.POST : R4.Bundle.HTTPVerb.PUT,
            Url = created ? resource.TypeName : $"{resource.TypeName}/{resource.Id}",
        },
        Response = new R4.Bundle.ResponseComponent { Status = created ? "201" : "200", LastModified = resource.Meta?.LastUpdated },
    };

    /// <summary>The history of every version, already mapped (newest first), paged like any list.</summary>
    public static FhirResponse Of(IReadOnlyList<R4.Resource> newestFirst, HttpRequest request, int? count, int? page,
        IReadOnlyCollection<Guid> patients)
    {
        if (FhirPage.Error(count, page) is { } invalid) return invalid;
        var paging = FhirPage.Of(count, page);
        var entries = newestFirst.Select((resource, i) => Entry(request, resource, created: i == newestFirst.Count - 1)).Skip(paging.Skip).Take(paging.Count);
        return new FhirResponse(paging.Bundle(request, R4.Bundle.BundleType.History, entries, newestFirst.Count), patients: patients);
    }

    /// <summary>_history of a resource that never changes after it is written: its only version.</summary>
    public static FhirResponse Single(FhirResponse read, HttpRequest request, int? count, int? page) =>
        FhirPage.Error(count, page) ?? (read.Resource is R4.OperationOutcome ? read : Of([read.Resource], request, count, page, read.PatientsShown));
}

/// <summary>Search results: the current version of each match, as a searchset page showing their patients.</summary>
public static class FhirSearch
{
    public static async Task<FhirResponse> PageAsync<T>(FhirStream<T> source, IReadOnlyList<(Guid Stream, string Id, Guid Patient)> page,
        long total, FhirPage paging, HttpRequest request, IQuerySession session, string tenant, CancellationToken ct) where T : class
    {
        var entries = new List<R4.Bundle.EntryComponent>();
        foreach (var (stream, id, _) in page)
            if (await source.CurrentAsync(stream, id, session, tenant, ct) is { } resource)
                entries.Add(Match(request, resource));
        return new FhirResponse(paging.Bundle(request, R4.Bundle.BundleType.Searchset, entries, total),
            patients: page.Select(p => p.Patient).Distinct().ToList());
    }

    public static R4.Bundle.EntryComponent Match(HttpRequest request, R4.Resource resource) => new()
    {
        FullUrl = FhirLinks.FullUrl(request, resource.TypeName, resource.Id), Resource = resource,
        Search = new R4.Bundle.SearchComponent { Mode = R4.Bundle.SearchEntryMode.Match },
    };
}
