using Shouldly;

namespace Encounters.Tests;

/// <summary>What closes a "review the result" task: the clinician by hand, or closing the visit with the result on the chart.</summary>
[Collection(ApiCollection.Name)]
public class TaskReviewTests(AppFixture app) : ClinicTest(app)
{
    private async Task<List<global::Encounters.Tasks.TaskView>> Reviews(string status, int expected)
    {
        await CaughtUp();
        var reviews = (await Doctor.Get($"/api/tasks?status={status}&pageSize=200", 200)).As<Page<global::Encounters.Tasks.TaskView>>().Items
            .Where(t => t.Task.Kind == "review-result").ToList();
        reviews.Count.ShouldBe(expected, $"{status} review tasks");
        return reviews;
    }

    private async Task Release(Guid order, Guid item, string code, decimal value)
    {
        var sample = await Collect(order, item);
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        await Tech.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { new { code, value } } }, 201);
        await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);
    }

    [Fact]
    public async Task closing_the_visit_completes_the_reviews_of_its_released_results_but_not_of_results_that_follow()
    {
        var encounter = await InConsult(new { pulse = 72 });
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Well." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Home." }, 200);
        var (order, items) = await LabOrder(encounter, "K", "NA");

        await Release(order, items[0], "2823-3", 4.1m);
        (await Reviews("open", 1))[0].Task.ItemId.ShouldBe(items[0]);
        await Doctor.Post($"/api/orders/{order}/results-to-follow", null, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);

        await Reviews("open", 0);
        (await Reviews("completed", 1))[0].Task.ClosedBy.ShouldNotBeNull().ShouldStartWith("event:");

        // The result that follows the visit is news to the clinician: its review waits for them.
        await Release(order, items[1], "2951-2", 139m);
        (await Reviews("open", 1))[0].Task.ItemId.ShouldBe(items[1]);
    }
}
