using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Tasks;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// Commands that touch independent parts of one stream, sent at the same moment, all succeed: a lost optimistic race
/// is decided again inside the service. A genuinely conflicting command is still refused by its rule, and a stale
/// If-Match still gets 412. Each case sends its requests at once, several rounds, so the races really happen.
/// </summary>
[Collection(ApiCollection.Name)]
public class ConcurrencyTests(AppFixture app) : ClinicTest(app)
{
    private static readonly string[] SerumTests = ["GLU", "CRP", "NA", "K", "CL", "HCO3", "BUN", "CREAT"];

    private static Task<Response[]> AtOnce(int count, Func<int, Task<Response>> send) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => Task.Run(() => send(i))));

    [Fact]
    public async Task eight_nurses_collecting_the_eight_items_of_one_order_at_once_all_succeed()
    {
        var encounter = await InConsult();
        for (var round = 0; round < 3; round++)
        {
            var (order, items) = await LabOrder(encounter, SerumTests);
            var samples = await AtOnce(items.Length, i => As("nurse", $"nurse-{i}").Post("/api/lab/samples",
                new { orderId = order, itemIds = new[] { items[i] }, collectedAt = Now }, 201));
            samples.Select(s => s.As<SampleResponse>().Barcode).Distinct().Count().ShouldBe(items.Length);

            var states = (await Order(order)).Items.Select(item => item.State).ToList();
            states.ShouldAllBe(state => state == ItemState.Collected);
        }
    }

    [Fact]
    public async Task receiving_the_samples_of_one_order_at_once_all_succeed()
    {
        var encounter = await InConsult();
        var (order, items) = await LabOrder(encounter, SerumTests);
        var samples = new List<Response>();
        foreach (var item in items) samples.Add(await Collect(order, item));

        await AtOnce(samples.Count, i => As("lab_technician", $"tech-{i}").Post($"/api/lab/samples/{samples[i].Id}/receive",
            new { barcode = samples[i].As<SampleResponse>().Barcode, receivedAt = Now }, 200));
    }

    [Fact]
    public async Task vitals_recorded_while_lab_reports_arrive_in_the_background_never_see_a_conflict()
    {
        var encounter = await InConsult();
        var (order, items) = await LabOrder(encounter, SerumTests[..4]);
        foreach (var item in items) await Received(order, item);

        var catalog = (await Doctor.Get("/api/lab/catalog?pageSize=100", 200)).As<Page<LabTest>>().Items;
        var analyteCodes = SerumTests[..4].ToDictionary(code => code, code => catalog.Single(t => t.Id == code).Analytes[0].Code);
        var tests = (await Order(order)).Items.ToDictionary(item => item.ItemId, item => item.ServiceCode);

        // Releases (each reaches the encounter stream through a durable message) race the nurse's vitals.
        var lab = Task.WhenAll(items.Select(item => Task.Run(async () =>
        {
            await EnterResult(item, analyteCodes[tests[item]], 5m);
            await VerifyAndRelease(item);
        })));
        var vitals = AtOnce(8, i => Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 60 + i }, 200));
        await Settled(() => Task.WhenAll(lab, vitals));

        var view = (await Doctor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>();
        view.Results.Count.ShouldBe(items.Length);
    }

    [Fact]
    public async Task two_nurses_collecting_the_same_item_at_once_one_wins_and_the_other_is_refused_by_the_rule()
    {
        var encounter = await InConsult();
        for (var round = 0; round < 3; round++)
        {
            var (order, items) = await LabOrder(encounter, "GLU");
            var attempts = await AtOnce(2, i => As("nurse", $"nurse-{i}").Attempt("/api/lab/samples",
                new { orderId = order, itemIds = items, collectedAt = Now }));
            attempts.Select(a => a.Status).Order().ShouldBe([201, 409]);
            attempts.Single(a => a.Status == 409).Problem.Code.ShouldBe("sample.items_not_awaiting_collection");
        }
    }

    [Fact]
    public async Task two_people_claiming_one_task_at_once_one_wins_and_the_other_is_told_it_is_claimed()
    {
        var encounter = await InConsult();
        await LabOrder(encounter, "GLU");
        await CaughtUp();
        var taskId = (await Nurse.Get("/api/tasks?pageSize=200", 200)).As<Page<TaskView>>().Items
            .Single(t => t.Task.Kind == "collect-sample").Task.Id;

        var claims = await AtOnce(2, i => As("nurse", $"nurse-{i}").Attempt($"/api/tasks/{taskId}/claim", null));
        claims.Select(c => c.Status).Order().ShouldBe([200, 409]);
        claims.Single(c => c.Status == 409).Problem.Code.ShouldBe("task.claimed");
    }

    [Fact]
    public async Task a_stale_if_match_is_still_a_precondition_failure_not_a_retry()
    {
        var encounter = await InConsult();
        var current = (await Doctor.Get($"/api/encounters/{encounter}", 200)).ETag!;
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 72 }, 200, ("If-Match", current));
        var stale = await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 74 }, 412, ("If-Match", current));
        stale.Problem.Code.ShouldBe("concurrency.precondition_failed");
    }

    private async Task<LabOrderView> Order(Guid order) => (await Doctor.Get($"/api/orders/{order}", 200)).As<LabOrderView>();
}
