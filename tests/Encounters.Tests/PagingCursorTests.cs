using System.Text.Json.Nodes;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// Walking a list by its <c>next</c> cursor shows every row that existed when the walk began exactly once, in the list's
/// order, while others are added meanwhile: generated cases (seeded) over a string key with ties (patients by name) and
/// a nullable time key (the queue by arrival, then plan time).
/// </summary>
[Collection(ApiCollection.Name)]
public class PagingCursorTests(AppFixture app) : ClinicTest(app)
{
    public static TheoryData<int> Seeds => [11, 23, 47];

    private static readonly string[] Names = ["Ada Obi", "Ada Obi", "Bola Ade", "Chi Eze", "zainab Musa", "Émile Dubois", "Ola"];

    /// <summary>Every id the walk saw, page by page, with <paramref name="meanwhile"/> run after each page.</summary>
    private static async Task<List<string>> Walk(Caller caller, string list, int pageSize, Func<Task> meanwhile)
    {
        var seen = new List<string>();
        var url = $"{list}pageSize={pageSize}";
        for (var pages = 0; pages < 200; pages++)
        {
            var page = (await caller.Get(url, 200)).Json;
            var items = page["items"]!.AsArray();
            items.Count.ShouldBeLessThanOrEqualTo(pageSize);
            seen.AddRange(items.Select(i => (i!["id"] ?? i["task"]!["id"])!.ToString()));
            if (!page["hasMore"]!.GetValue<bool>())
            {
                page["next"].ShouldBeNull();
                return seen;
            }
            await meanwhile();
            url = $"{list}pageSize={pageSize}&after={Uri.EscapeDataString(page["next"]!.ToString())}";
        }
        throw new ShouldAssertException("The walk did not end.");
    }

    /// <summary>Each row once, every row that was there before the walk, and in the order of the whole list read at once.</summary>
    private async Task InListOrder(List<string> seen, List<string> before, string list)
    {
        seen.ShouldBeUnique();
        before.ShouldBeSubsetOf(seen);
        var all = (await Reception.Get($"{list}pageSize=500&count=true", 200)).Json;
        var ids = all["items"]!.AsArray().Select(i => i!["id"]!.ToString()).ToList();
        all["total"]!.GetValue<long>().ShouldBe(ids.Count);
        seen.ShouldBe(ids.Where(seen.Contains).ToList());
    }

    [Theory, MemberData(nameof(Seeds))]
    public async Task a_patient_search_walked_by_cursor_shows_each_patient_once_while_others_register(int seed)
    {
        var random = new Random(seed);
        var before = new List<string>();
        for (var i = random.Next(6, 16); i > 0; i--)
            before.Add((await TestData.RegisterPatient(Reception, Names[random.Next(Names.Length)])).ToString());

        var seen = await Walk(Reception, "/api/patients?", random.Next(1, 5),
            async () => await TestData.RegisterPatient(Reception, Names[random.Next(Names.Length)]));

        await InListOrder(seen, before, "/api/patients?");
    }

    [Theory, MemberData(nameof(Seeds))]
    public async Task the_queue_walked_by_cursor_shows_each_visit_once_arrived_or_not_while_visits_are_planned(int seed)
    {
        var random = new Random(seed);
        var before = new List<string>();
        for (var i = random.Next(5, 10); i > 0; i--)
        {
            var encounter = await TestData.PlanEncounter(Reception);
            if (random.Next(2) == 0) await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
            before.Add(encounter.ToString());
        }

        var seen = await Walk(Reception, "/api/encounters?", random.Next(1, 4), async () =>
        {
            var encounter = await TestData.PlanEncounter(Reception);
            if (random.Next(2) == 0) await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        });

        await InListOrder(seen, before, "/api/encounters?");
    }

    [Fact]
    public async Task a_full_first_page_is_counted_only_when_asked_and_a_cursor_is_checked()
    {
        for (var i = 0; i < 3; i++) await TestData.RegisterPatient(Reception, $"Pat {i}");

        var page = (await Reception.Get("/api/patients?pageSize=2", 200)).Json;
        page["total"].ShouldBeNull();
        page["hasMore"]!.GetValue<bool>().ShouldBeTrue();
        (await Reception.Get("/api/patients?pageSize=2&count=true", 200)).Json["total"]!.GetValue<long>().ShouldBe(3);
        var rest = (await Reception.Get($"/api/patients?pageSize=2&count=true&after={page["next"]}", 200)).Json;
        (rest["items"]!.AsArray().Count, rest["total"]!.GetValue<long>(), rest["hasMore"]!.GetValue<bool>()).ShouldBe((1, 3L, false));

        (await Reception.Get("/api/patients?after=not-a-cursor", 400))["code"].ShouldNotBeNull();
        await Reception.Get($"/api/patients?page=2&after={page["next"]}", 400);
        // A cursor of another list is not read as this one's: nothing follows it.
        var other = (await Reception.Get("/api/encounters?pageSize=1", 200)).Json["next"];
        if (other is not null) (await Reception.Get($"/api/patients?after={other}", 200)).Json["items"]!.AsArray().ShouldBeEmpty();
    }
}
