using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Encounters.Security;

namespace Encounters.Tests;

/// <summary>A user with a real signed JWT, calling the API in one tenant and facility.</summary>
public sealed class Caller(IAlbaHost host, string tenant, string facility, string token)
{
    public string Tenant => tenant;
    public string Facility => facility;

    public static Caller As(IAlbaHost host, string role, string tenant, string facility, string? sub = null,
        string[]? facilities = null) =>
        new(host, tenant, facility, Token(sub ?? $"{role}-1", role, tenant, facilities ?? [facility]));

    /// <summary>One person holding several roles (a test that must be allowed everywhere).</summary>
    public static Caller WithRoles(IAlbaHost host, string[] roles, string tenant, string facility, string sub) =>
        new(host, tenant, facility, DevTokens.Issue(AppFixture.SigningKey, sub, "Test all-roles", roles, tenant, [facility], TimeSpan.FromMinutes(30)));

    public static string Token(string sub, string role, string tenant, string[] facilities) =>
        DevTokens.Issue(AppFixture.SigningKey, sub, $"Test {role}", [role], tenant, facilities, TimeSpan.FromMinutes(30));

    /// <summary>The same user acting in another facility of theirs.</summary>
    public Caller In(string otherFacility) => new(host, tenant, otherFacility, token);

    public Task<Response> Post(string url, object? body, int expect, params (string Name, string Value)[] headers) =>
        Send(s =>
        {
            if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
        }, expect, headers);

    /// <summary>What a reviewer does (four eyes): opens the resource, then acts on the version they saw (If-Match).</summary>
    public async Task<Response> PostReviewed(string resourceUrl, string action, int expect)
    {
        var seen = await Get(resourceUrl, 200);
        return await Post($"{resourceUrl}/{action}", null, expect, ("If-Match", seen.ETag!));
    }

    /// <summary>A POST whose outcome the test judges itself (races where either side may win).</summary>
    public Task<Response> Attempt(string url, object? body, params (string Name, string Value)[] headers) =>
        Send(s =>
        {
            if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
        }, null, headers);

    public Task<Response> Get(string url, int expect) => Send(s => s.Get.Url(url), expect, []);

    /// <summary>A GET whatever it answers (generated tests judge the status themselves).</summary>
    public Task<Response> Get(string url) => Send(s => s.Get.Url(url), null, []);

    /// <summary>A settings change (close gate, staffing rules): the whole setting replaced.</summary>
    public Task<Response> Put(string url, object body, int expect) => Send(s => s.Put.Json(body).ToUrl(url), expect, []);

    private async Task<Response> Send(Action<Scenario> request, int? expect, (string Name, string Value)[] headers)
    {
        var result = await host.Scenario(s =>
        {
            request(s);
            s.WithRequestHeader("X-Tenant-ID", tenant);
            s.WithRequestHeader("X-Facility-ID", facility);
            s.WithBearerToken(token);
            foreach (var (name, value) in headers) s.WithRequestHeader(name, value);
            if (expect is { } status) s.StatusCodeShouldBe(status);
            else s.IgnoreStatusCode();
        });
        return new Response(result);
    }
}

public sealed class Response(IScenarioResult result)
{
    private string? _text;
    private JsonNode? _json;

    public IScenarioResult Result => result;
    public string Text => _text ??= result.ReadAsText();
    public JsonNode Json => _json ??= JsonNode.Parse(Text) ?? throw new InvalidOperationException("Empty body");

    /// <summary>The body as a type (<see cref="Bodies"/>), read with the API's JSON conventions.</summary>
    public T As<T>() => JsonSerializer.Deserialize<T>(Text, Bodies.Options) ?? throw new InvalidOperationException("Empty body");

    /// <summary>The body of a refusal.</summary>
    public Problem Problem => As<Problem>();
    public int Status => result.Context.Response.StatusCode;
    public string this[string property] => Json[property]?.ToString() ?? "";
    public Guid Id => Guid.Parse(this["id"]);
    public string? ETag => result.Context.Response.Headers.ETag.ToString() is { Length: > 0 } e ? e : null;
    public string? Location => result.Context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
    public string ContentType => result.Context.Response.ContentType ?? "";
}
