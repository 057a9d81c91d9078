using System.Text.Json.Serialization;
using Encounters.Audit;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http.Extensions;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// A FHIR answer: a resource, Bundle or OperationOutcome written as application/fhir+json by the Firely serializer, with the
/// patients it shows for the read audit (an error shows nobody).
/// </summary>
public sealed class FhirResponse(R4.Resource resource, int status = 200, IReadOnlyCollection<Guid>? patients = null) : IResult, IShowsPatients
{
    public const string ContentType = "application/fhir+json";

    [JsonIgnore] public R4.Resource Resource => resource;
    [JsonIgnore] public IReadOnlyCollection<Guid> PatientsShown => status == 200 ? patients ?? [] : [];

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType + "; charset=utf-8";
        // A single version is identified as FHIR clients expect (W/"versionId"), for conditional reads.
        if (status == 200 && resource is not R4.Bundle && resource.Meta?.VersionId is { } version)
            http.Response.Headers.ETag = $"W/\"{version}\"";
        await http.Response.WriteAsync(resource.ToJson(), http.RequestAborted);
    }

    public static FhirResponse NotFound(string type, string id) =>
        Outcome(404, R4.OperationOutcome.IssueType.NotFound, "not_found", $"{type}/{id} is not known in this tenant and facility.");

    public static FhirResponse Invalid(string text) => Outcome(400, R4.OperationOutcome.IssueType.Invalid, "validation", text);

    public static FhirResponse Outcome(int status, R4.OperationOutcome.IssueType type, string code, string text) =>
        new(FhirOutcomes.Of(type, code, text), status);
}

/// <summary>OperationOutcome: how every FHIR refusal and error leaves the service, including those the shared pipeline writes.</summary>
public static class FhirOutcomes
{
    public static R4.OperationOutcome Of(R4.OperationOutcome.IssueType type, string code, string text) => new()
    {
        Issue =
        [
            new R4.OperationOutcome.IssueComponent
            {
                Severity = R4.OperationOutcome.IssueSeverity.Error, Code = type, Diagnostics = text,
                Details = new R4.CodeableConcept("urn:encounters:problem-code", code, text),
            },
        ],
    };

    /// <summary>The FHIR issue type of an HTTP refusal.</summary>
    public static R4.OperationOutcome.IssueType TypeOf(int status) => status switch
    {
        400 or 422 => R4.OperationOutcome.IssueType.Invalid,
        401 => R4.OperationOutcome.IssueType.Login,
        403 => R4.OperationOutcome.IssueType.Forbidden,
        404 => R4.OperationOutcome.IssueType.NotFound,
        405 or 406 or 415 => R4.OperationOutcome.IssueType.NotSupported,
        409 or 412 or 428 => R4.OperationOutcome.IssueType.Conflict,
        413 => R4.OperationOutcome.IssueType.TooCostly,
        503 => R4.OperationOutcome.IssueType.Transient,
        _ => R4.OperationOutcome.IssueType.Exception,
    };
}

/// <summary>
/// Problems written by the shared pipeline (scope, guard, authorization, status pages, exceptions) on a /fhir path leave as an
/// OperationOutcome with the same status and code. Registered ahead of the default problem+json writer.
/// </summary>
public sealed class OperationOutcomeWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => ApiSurface.IsFhir(context.HttpContext.Request.Path);

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var errors = problem is HttpValidationProblemDetails validation
            ? validation.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")
            : [];
        var text = string.Join(" ", new[] { problem.Title, problem.Detail }.Concat(errors).Where(t => !string.IsNullOrWhiteSpace(t)));
        // FHIR strings are never empty: a bare status page still says what it is.
        if (text.Length == 0) text = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}";
        var code = problem.Extensions.TryGetValue("code", out var c) && c is not null ? c.ToString()! : $"http.{status}";
        context.HttpContext.Response.StatusCode = status;
        context.HttpContext.Response.ContentType = FhirResponse.ContentType + "; charset=utf-8";
        await context.HttpContext.Response.WriteAsync(FhirOutcomes.Of(FhirOutcomes.TypeOf(status), code, text).ToJson());
    }
}

/// <summary>
/// One page of a search or history: <c>_count</c> entries (bounded like every list), page <c>_page</c>, or on a search the
/// page after <c>_cursor</c> (the next link's keyset cursor, <see cref="Paging"/>). A search counts its matches
/// (<c>Bundle.total</c>) only when asked with <c>_total=accurate</c> or when the first page holds them all.
/// </summary>
public sealed record FhirPage(int Count, int Number, string? Cursor = null, bool Accurate = false)
{
    public int Skip => (Number - 1) * Count;

    private static readonly Dictionary<string, string> Names = new() { ["page"] = "_page", ["pageSize"] = "_count", ["after"] = "_cursor" };

    public static FhirResponse? Error(int? count, int? page, HttpRequest? search = null)
    {
        var errors = Paging.Errors(page, count, search?.Query["_cursor"].FirstOrDefault());
        if (search?.Query["_total"].FirstOrDefault() is not (null or "none" or "estimate" or "accurate")) errors["_total"] = ["none, estimate or accurate."];
        return errors.Count > 0
            ? FhirResponse.Invalid(string.Join(" ", errors.Select(e => $"{Names.GetValueOrDefault(e.Key, e.Key)}: {e.Value[0]}")))
            : null;
    }

    public static FhirPage Of(int? count, int? page, HttpRequest? search = null) => new(count ?? Paging.DefaultPageSize, page ?? 1,
        search?.Query["_cursor"].FirstOrDefault(), search?.Query["_total"].FirstOrDefault() == "accurate");

    /// <summary>This page of an ordered database query, by keyset after the cursor when there is one.</summary>
    public Task<Page<T>> Read<T>(IQueryable<T> ordered, CancellationToken ct) =>
        ordered.PageAsync(Cursor is null ? Number : null, Count, ct, Cursor, Accurate);

    public R4.Bundle Bundle(HttpRequest request, R4.Bundle.BundleType type, IEnumerable<R4.Bundle.EntryComponent> entries, long total) =>
        Bundle(request, type, entries, total, (long)Number * Count < total, null);

    /// <summary>A searchset or history Bundle of this page, with self and next links that keep the request's other parameters.</summary>
    public R4.Bundle Bundle(HttpRequest request, R4.Bundle.BundleType type, IEnumerable<R4.Bundle.EntryComponent> entries, long? total,
        bool more, string? next)
    {
        var bundle = new R4.Bundle { Type = type, Total = total is { } all ? (int)Math.Min(all, int.MaxValue) : null, Entry = entries.ToList() };
        bundle.Link.Add(new R4.Bundle.LinkComponent { Relation = "self", Url = request.GetEncodedUrl() });
        if (more)
            bundle.Link.Add(new R4.Bundle.LinkComponent
            {
                Relation = "next", Url = next is null ? With(request, "_page", (Number + 1).ToString()) : With(request, "_cursor", next),
            });
        return bundle;
    }

    private static string With(HttpRequest request, string name, string value)
    {
        var query = new QueryBuilder(request.Query.Where(q => q.Key is not ("_page" or "_cursor"))
            .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))))
        {
            { name, value },
        };
        return UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, request.Path, query.ToQueryString());
    }
}

/// <summary>Reference and identifier conventions of this server.</summary>
public static class FhirLinks
{
    /// <summary>The absolute URL of a resource on this server (Bundle.entry.fullUrl).</summary>
    public static string FullUrl(HttpRequest request, string type, string id) =>
        UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, $"/fhir/{type}/{id}");

    public static R4.ResourceReference To(string type, Guid id, string? display = null) => new($"{type}/{id}", display);

    /// <summary>The stream a resource id names: our ids are UUIDs; anything else names nothing here.</summary>
    public static Guid? StreamOf(string id) => Guid.TryParse(id, out var stream) && stream != Guid.Empty ? stream : null;

    /// <summary>Identifier systems are per tenant: an MRN or accession number is unique only within its tenant.</summary>
    public static string System(string tenant, string kind) => $"urn:encounters:{tenant}:{kind}";

    /// <summary>Someone on this service's staff: named by user id (no Practitioner resource is served, so no literal reference).</summary>
    public static R4.ResourceReference Staff(string tenant, string? userId, string? name) =>
        new() { Identifier = new R4.Identifier(System(tenant, "user"), userId ?? "unknown"), Display = name ?? userId };

    /// <summary>A reference search value ("Patient/{id}" or the bare id): the id, or the reason it is refused.</summary>
    public static (Guid? Id, FhirResponse? Error) Reference(string name, string? value, string type)
    {
        if (value is null) return (null, null);
        var id = value.StartsWith(type + "/") ? value[(type.Length + 1)..] : value;
        return StreamOf(id) is { } stream ? (stream, null) : (null, FhirResponse.Invalid($"{name}: a {type} reference ({type}/id) is required."));
    }

    /// <summary>A token search value from a closed list ("final" or "final,amended"): the codes, or the reason it is refused.</summary>
    public static (string[]? Codes, FhirResponse? Error) Codes(string name, string? value, IReadOnlyCollection<string> allowed)
    {
        if (value is null) return (null, null);
        var codes = value.Split(',');
        return codes.All(allowed.Contains) ? (codes, null)
            : (null, FhirResponse.Invalid($"{name}: one or more of {string.Join(", ", allowed)} (comma-separated)."));
    }

    /// <summary>Query parameters this search does not support are refused (strict handling), so a filter is never silently dropped.</summary>
    public static FhirResponse? Unsupported(HttpRequest request, params string[] supported)
    {
        var unknown = request.Query.Keys.Where(k => k is not ("_count" or "_page" or "_cursor" or "_total") && !supported.Contains(k)).ToList();
        return unknown.Count == 0 ? null
            : FhirResponse.Invalid($"Unsupported search parameter(s): {string.Join(", ", unknown)}. Supported: {string.Join(", ", supported)}, _count, _page, _cursor, _total.");
    }
}
