using Encounters.Lab;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Four eyes bound to what the verifier saw, and cancelled work closed to the lab.</summary>
[Collection(ApiCollection.Name)]
public class LabSafetyTests(AppFixture app) : ClinicTest(app)
{
    private async Task<Guid> ReceivedItem(string test = "K")
    {
        var (order, items) = await LabOrder(await InConsult(), test);
        await Received(order, items);
        return items[0];
    }

    private Task<Response> EnterPotassium(Guid item, decimal value) => EnterResult(item, "2823-3", value);

    [Fact]
    public async Task a_verifier_verifies_only_the_version_they_reviewed()
    {
        var item = await ReceivedItem();
        await EnterPotassium(item, 4.0m);
        var reviewed = await Supervisor.Get($"/api/lab/results/{item}", 200);
        await EnterPotassium(item, 5.9m); // the technician re-enters while the supervisor looks at 4.0

        var stale = await Supervisor.Post($"/api/lab/results/{item}/verify", null, 412, ("If-Match", reviewed.ETag!));
        stale.Problem.Code.ShouldBe("concurrency.precondition_failed");
        stale.Problem.CurrentVersion.ShouldBe(2);

        var unnamed = await Supervisor.Post($"/api/lab/results/{item}/verify", null, 428);
        unnamed.Problem.Code.ShouldBe("concurrency.version_required");

        var verified = (await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200)).As<LabResultResponse>();
        verified.Stage.ShouldBe(ResultStage.Verified);
        verified.ReportVersion.ShouldBe(2);
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

        (await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample.As<SampleResponse>().Barcode, receivedAt = Now }, 409)).Problem.Code
            .ShouldBe("lab.item_cancelled");
        (await Tech.Post($"/api/lab/samples/{sample.Id}/reject", new { reason = "hemolyzed" }, 409)).Problem.Code.ShouldBe("lab.item_cancelled");
        (await Tech.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 90m } } }, 409))
            .Problem.Code.ShouldBe("lab.item_cancelled");

        (await Doctor.Get($"/api/orders/{order}", 200)).As<LabOrderView>().Items[0].State.ShouldBe(ItemState.Cancelled);
    }

    [Fact]
    public async Task a_shared_sample_with_one_cancelled_item_is_received_for_the_other_only()
    {
        var (order, items) = await LabOrder(await InConsult(), "GLU", "NA");
        var sample = await Collect(order, items);
        await Doctor.Post($"/api/orders/{order}/items/{items[0]}/cancel", new { reason = "Duplicate test" }, 200);

        await Receive(sample);
        var states = (await Doctor.Get($"/api/orders/{order}", 200)).As<LabOrderView>().Items.ToDictionary(i => i.ItemId, i => i.State);
        states[items[0]].ShouldBe(ItemState.Cancelled);
        states[items[1]].ShouldBe(ItemState.Received);
    }
}
