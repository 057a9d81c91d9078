using Shouldly;

namespace Encounters.Tests;

/// <summary>Four eyes bound to what the verifier saw, and cancelled work closed to the lab.</summary>
[Collection(ApiCollection.Name)]
public class LabSafetyTests(AppFixture app) : ClinicTest(app)
{
    private async Task<Guid> ReceivedItem(string test = "K")
    {
        var (order, items) = await LabOrder(await InConsult(), test);
        var sample = await Collect(order, items);
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        return items[0];
    }

    private Task<Response> EnterPotassium(Guid item, decimal value) =>
        Tech.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { new { code = "2823-3", value } } }, 201);

    [Fact]
    public async Task a_verifier_verifies_only_the_version_they_reviewed()
    {
        var item = await ReceivedItem();
        await EnterPotassium(item, 4.0m);
        var reviewed = await Supervisor.Get($"/api/lab/results/{item}", 200);
        await EnterPotassium(item, 5.9m); // the technician re-enters while the supervisor looks at 4.0

        var stale = await Supervisor.Post($"/api/lab/results/{item}/verify", null, 412, ("If-Match", reviewed.ETag!));
        stale["code"].ShouldBe("concurrency.precondition_failed");
        stale.Json["currentVersion"]!.GetValue<long>().ShouldBe(2);

        var unnamed = await Supervisor.Post($"/api/lab/results/{item}/verify", null, 428);
        unnamed["code"].ShouldBe("concurrency.version_required");

        var verified = await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        verified["stage"].ShouldBe("verified");
        verified.Json["reportVersion"]!.GetValue<int>().ShouldBe(2);
        (await Tech.Post($"/api/lab/results/{item}/release", null, 428)).Problem.Code.ShouldBe("concurrency.version_required");
        await Tech.Post($"/api/lab/results/{item}/release", null, 412, ("If-Match", reviewed.ETag!));
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);
    }

    [Fact]
    public async Task a_sample_of_a_cancelled_order_cannot_be_received_rejected_or_resulted()
    {
        var (order, items) = await LabOrder(await InConsult(), "GLU");
        var sample = await Collect(order, items);
        await Doctor.Post($"/api/orders/{order}/cancel", new { reason = "Ordered for the wrong patient" }, 200);

        (await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 409)).Problem.Code
            .ShouldBe("lab.item_cancelled");
        (await Tech.Post($"/api/lab/samples/{sample.Id}/reject", new { reason = "hemolyzed" }, 409)).Problem.Code.ShouldBe("lab.item_cancelled");
        (await Tech.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 90m } } }, 409))
            ["code"].ShouldBe("lab.item_cancelled");

        var item = (await Doctor.Get($"/api/orders/{order}", 200)).Json["items"]![0]!;
        item["state"]!.ToString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task a_shared_sample_with_one_cancelled_item_is_received_for_the_other_only()
    {
        var (order, items) = await LabOrder(await InConsult(), "GLU", "NA");
        var sample = await Collect(order, items);
        await Doctor.Post($"/api/orders/{order}/items/{items[0]}/cancel", new { reason = "Duplicate test" }, 200);

        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        var states = (await Doctor.Get($"/api/orders/{order}", 200)).Json["items"]!.AsArray()
            .ToDictionary(i => Guid.Parse(i!["itemId"]!.ToString()), i => i!["state"]!.ToString());
        states[items[0]].ShouldBe("cancelled");
        states[items[1]].ShouldBe("received");
    }
}
