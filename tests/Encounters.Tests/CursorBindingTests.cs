using Encounters.Tests.Hostile;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// A cursor is read only by the list that wrote it: every paged list of the OpenAPI document (a GET with <c>after</c> or
/// <c>_cursor</c>) answers another list's cursor, a garbled one and an edited one with 400 naming the cursor parameter,
/// never an empty page or a 5xx. Generated from the document, so a new list is covered without touching the test.
/// </summary>
[Collection(ApiCollection.Name)]
public class CursorBindingTests(AppFixture app)
{
    [Fact]
    public async Task every_paged_list_refuses_a_cursor_it_did_not_write()
    {
        var api = await ApiDescription.LoadAsync(app.Host);
        var world = await app.Settled(() => HostileWorld.SeedAsync(app));
        await TestData.RegisterPatient(world.Omni, "Bola Ade");
        var page = (await world.Omni.Get("/api/patients?pageSize=1", 200)).Json;
        var foreign = page["next"]!.ToString();
        var edited = foreign[..^3] + (foreign[^3] == 'A' ? "B" : "A") + foreign[^2..];
        (await world.Omni.Get($"/api/patients?pageSize=1&after={Uri.EscapeDataString(foreign)}", 200)).Json["items"]!.AsArray().Count.ShouldBe(1);

        var lists = api.Operations().Where(o => o.Method == "GET" && (o.Has("query", "after") || o.Has("query", "_cursor"))).ToList();
        lists.Count.ShouldBeGreaterThan(10);
        var failures = new List<string>();
        foreach (var list in lists)
        {
            var parameter = list.Has("query", "after") ? "after" : "_cursor";
            var path = list.In("path").Aggregate(list.Path, (p, x) => p.Replace($"{{{x.Name}}}", world.IdFor(x.Name).ToString()));
            var cursors = new List<string> { "bm90IGEgY3Vyc29y", "%%%", edited };
            if (list.Path != "/api/patients") cursors.Add(foreign);
            foreach (var cursor in cursors)
            {
                var answer = await world.Omni.Get($"{path}?{parameter}={Uri.EscapeDataString(cursor)}");
                if (answer.Status != 400 || !answer.Text.Contains(parameter))
                    failures.Add($"{list} with {cursor}: {answer.Status} {answer.Text[..Math.Min(200, answer.Text.Length)]}");
            }
        }
        failures.ShouldBeEmpty();
    }
}
