using Alba;
using Shouldly;

namespace Encounters.Tests.Hostile;

/// <summary>
/// Issue 11, "never a 500": every operation of the OpenAPI document gets generated hostile variants of its
/// paths, queries, headers and body. None may answer 5xx, and none that is refused (4xx) may write an
/// event or a document.
/// </summary>
[Collection(ApiCollection.Name)]
public class HostileInputTests(AppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task every_operation_answers_hostile_input_without_a_5xx_and_refusals_write_nothing()
    {
        var api = await ApiDescription.LoadAsync(app.Host);
        var world = await app.Settled(() => HostileWorld.SeedAsync(app));
        var variants = new HostileVariants(api, new Samples(api, world), world);
        await using var ledger = new WriteLedger(AppFixture.ConnectionString, world.Tenant);

        var operations = api.Operations();
        var failures = new List<string>();
        var (requests, serverErrors, refusedWrites, accepted) = (0, 0, 0, 0);
        var before = await ledger.SnapshotAsync();

        foreach (var operation in operations)
        foreach (var request in variants.For(operation))
        {
            var (status, body, location) = await Send(world, request);
            requests++;
            // A Location header names a record a client can read: a GET route of the document (issue 17).
            if (location is not null && !operations.Any(o => o.Method == "GET" && Matches(o.Path, location)))
                failures.Add($"Location {location} is no GET route of the OpenAPI document: {request}");
            if (status >= 500)
            {
                serverErrors++;
                failures.Add($"{status} {request}: {Excerpt(body)}");
            }
            if (status is >= 400 and < 500)
            {
                // The API reference must declare every refusal an operation can give (issue 20).
                if (!api.Responses(request.Op).Contains(status.ToString()))
                    failures.Add($"{status} not declared in the OpenAPI document: {request.Op}");
                var after = await ledger.SnapshotAsync();
                if (after != before)
                {
                    refusedWrites++;
                    failures.Add($"{status} but wrote: {request}\n    before {before}\n    after  {after}");
                    before = after;
                }
                continue;
            }
            accepted++;
            before = await ledger.SnapshotAsync();
        }

        // A refusal that set off work in the background would show here, after the last one.
        (await ledger.SnapshotAsync()).ShouldBe(before, "a refused request wrote after its response");

        output.WriteLine($"hostile input: {operations.Count} operations, {requests} requests, {serverErrors} 5xx, " +
                         $"{refusedWrites} refused-but-written, {accepted} accepted");
        foreach (var failure in failures) output.WriteLine(failure);
        failures.Take(60).ShouldBeEmpty($"{failures.Count} failures of {requests} requests (first 60 shown)");
    }

    /// <summary>
    /// The status and body once everything the request set off has finished (messages handled, projections caught up), so
    /// the ledger's comparison is exact; an exception escaping the service (e.g. mid-stream) counts as a 5xx.
    /// </summary>
    private async Task<(int Status, string Body, string? Location)> Send(HostileWorld world, HostileRequest request)
    {
        try
        {
            return await app.Settled(() => TrySend(world, request));
        }
        catch (Exception e)
        {
            return (599, $"exception escaped the service: {e.GetType().Name}: {e.Message}", null);
        }
    }

    private async Task<(int Status, string Body, string? Location)> TrySend(HostileWorld world, HostileRequest request)
    {
        var result = await app.Host.Scenario(s =>
        {
            var url = request.Url;
            var send = request.Op.Method switch
            {
                "GET" => s.Get,
                "PUT" => s.Put,
                "DELETE" => s.Delete,
                "PATCH" => s.Patch,
                _ => s.Post,
            };
            if (request.Body is null) send.Url(url);
            else send.Text(request.Body).ToUrl(url).ContentType(request.ContentType);
            s.WithRequestHeader("X-Tenant-ID", world.Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(world.OmniToken);
            foreach (var (name, value) in request.Headers) s.WithRequestHeader(name, value);
            s.IgnoreStatusCode();
        });
        var location = result.Context.Response.Headers.Location.FirstOrDefault();
        return (result.Context.Response.StatusCode, await result.ReadAsTextAsync(), location);
    }

    private static bool Matches(string template, string location)
    {
        var (expected, actual) = (template.Split('/'), new Uri(new Uri("http://host"), location).AbsolutePath.Split('/'));
        return expected.Length == actual.Length && expected.Zip(actual).All(p => p.First.StartsWith('{') || p.First == p.Second);
    }

    private static string Excerpt(string body) => body.Length > 300 ? body[..300] + "…" : body;
}
