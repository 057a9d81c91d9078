using Encounters.Encounters;
using Encounters.Lab;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Orders, samples and results from the clinic to the lab and back.</summary>
[Collection(ApiCollection.Name)]
public partial class LabTests(AppFixture app) : ClinicTest(app)
{

    private Caller OtherTech => As("lab_technician", "tech-tia");

    private static readonly object Vitals = new { systolicBp = 120, diastolicBp = 80 };

    private async Task<(Guid Order, Guid[] Items)> Order(Guid encounter, string priority = "routine", params string[] tests)
    {
        var lines = (tests.Length == 0 ? ["GLU"] : tests).Select(code => new { serviceCode = code }).ToArray();
        var order = await Doctor.Post("/api/orders", new { encounterId = encounter, priority, items = lines }, 201);
        var items = ItemIds(order).ToArray();
        return (order.Id, items);
    }

    private async Task Released(Guid item, decimal glucose)
    {
        await EnterResult(item, new { code = "2345-7", value = glucose, unit = "mg/dL" });
        await Settled(() => VerifyAndRelease(item)); // the report reaches the encounter as a message
    }

    private async Task Closable(Guid encounter)
    {
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Hyperglycaemia." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Admit." }, 200);
    }

    /// <summary>The encounter after a settled release: the report reaches it through a durable Wolverine message.</summary>
    private async Task<EncounterView> EncounterWithResults(Guid encounter, int count)
    {
        var view = (await Doctor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>();
        view.Results.Count.ShouldBeGreaterThanOrEqualTo(count);
        return view;
    }

    private static LabResultResponse Result(Response answer) => answer.As<LabResultResponse>();

    [Fact]
    public async Task the_catalog_has_real_tests_and_analytes()
    {
        var catalog = (await Doctor.Get("/api/lab/catalog", 200)).As<Page<LabTest>>().Items;
        catalog.Count.ShouldBeGreaterThanOrEqualTo(10);
        catalog.Sum(t => t.Analytes.Length).ShouldBeGreaterThanOrEqualTo(25);
        var glucose = catalog.Single(t => t.Id == "GLU");
        glucose.Loinc.ShouldBe("2345-7");
        glucose.Analytes[0].Unit.ShouldBe("mg/dL");
        glucose.Analytes[0].CriticalHigh.ShouldBe(500m);
    }

    [Fact]
    public async Task the_whole_path_from_order_to_closing_the_encounter_with_a_critical_result()
    {
        var encounter = await InConsult(Vitals);
        var (order, items) = await Order(encounter, "stat", "GLU");
        var item = items.Single();

        var sample = (await Collect(order, item)).As<SampleResponse>();
        sample.AccessionNumber.ShouldMatch(@"^CLINIC-1-\d{8}-0001$");
        sample.Barcode.ShouldBe(sample.AccessionNumber);
        (await Tech.Get($"/api/lab/samples?barcode={sample.Barcode}", 200)).As<SampleView[]>().Single().Id.ShouldBe(sample.Id);
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample.Barcode, receivedAt = Now }, 200);

        var entered = Result(await Tech.Post("/api/lab/results",
            new { orderItemId = item, analytes = new[] { new { code = "2345-7", value = 620m, unit = "mg/dL" } }, comment = "Repeated, confirmed." }, 201));
        entered.Status.ShouldBe("preliminary");
        entered.Critical.ShouldBeTrue();
        Result(await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200)).Stage.ShouldBe(ResultStage.Verified);
        var released = await Settled(() => Tech.PostReviewed($"/api/lab/results/{item}", "release", 200));
        Result(released).Status.ShouldBe("final");

        var report = (await Doctor.Get($"/api/lab/results/{item}", 200)).As<LabReport>();
        var glucose = report.Versions[0].Analytes[0];
        glucose.Flag.ShouldBe("HH");
        glucose.ReferenceHigh.ShouldBe(99m);
        glucose.CriticalHigh.ShouldBe(500m);
        report.Versions[0].VerifiedBy!.UserId.ShouldBe("sup-sam");

        // The encounter shows the result, and cannot close until the critical value is acknowledged.
        var view = await EncounterWithResults(encounter, 1);
        view.Results[0].Critical.ShouldBeTrue();
        view.Orders![0].Items[0].ResultStatus.ShouldBe("final");
        (await Doctor.Get($"/api/encounters/{encounter}/results", 200)).As<LabReport[]>().Length.ShouldBe(1);

        await Closable(encounter);
        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "admitted" }, 409);
        refused.Problem.UnmetRules!.Select(r => r.Rule).ShouldBe(["critical-results-acknowledged"]);

        var otherDoctor = As("clinician", "dr-ama");
        (await otherDoctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "Seen" }, 403)).Problem.Code.ShouldBe("lab.not_ordering_clinician");
        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "" }, 400);
        Result(await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "Insulin started, admitted." }, 200)).CriticalAcknowledged.ShouldBeTrue();
        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "again" }, 409);

        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "admitted" }, 200);
    }

    [Fact]
    public async Task an_open_lab_order_holds_the_close_until_released_cancelled_or_marked_results_to_follow()
    {
        var encounter = await InConsult(Vitals);
        await Closable(encounter);
        var (order, items) = await Order(encounter, "routine", "CRP", "TSH");

        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409);
        refused.Problem.UnmetRules!.Select(r => r.Rule).ShouldBe(["lab-orders-resolved"]);

        await Doctor.Post($"/api/orders/{order}/items/{items[0]}/cancel", new { reason = "Not needed" }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409);
        await Doctor.Post($"/api/orders/{order}/results-to-follow", null, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);
    }

    [Fact]
    public async Task a_rejected_sample_sends_its_items_back_for_recollection()
    {
        var encounter = await InConsult(Vitals);
        var (order, items) = await Order(encounter, "urgent", "K", "NA");
        var first = (await Collect(order, items)).As<SampleResponse>();
        (await Tech.Get("/api/lab/worklist?stage=to-receive", 200)).As<Page<WorklistRow>>().Items.Count.ShouldBe(2);

        await Tech.Post($"/api/lab/samples/{first.Id}/reject", new { reason = "other" }, 400);
        var rejected = await Tech.Post($"/api/lab/samples/{first.Id}/reject", new { reason = "hemolyzed", note = "Grossly hemolyzed" }, 200);
        rejected.As<SampleResponse>().Status.ShouldBe(SampleStatus.Rejected);
        await Tech.Post($"/api/lab/samples/{first.Id}/receive", new { barcode = first.Barcode, receivedAt = Now }, 409);

        var toCollect = (await Nurse.Get("/api/lab/worklist?stage=to-collect", 200)).As<Page<WorklistRow>>().Items;
        toCollect.Select(r => r.ItemId).ShouldBe(items, ignoreOrder: true);
        var second = (await Collect(order, items)).As<SampleResponse>();
        second.AccessionNumber.ShouldNotBe(first.AccessionNumber);
        (await Tech.Get($"/api/lab/samples/{first.Id}", 200)).As<SampleView>().RejectionReason.ShouldBe(RejectionReason.Hemolyzed);
    }

    [Fact]
    public async Task receiving_needs_the_matching_barcode_and_happens_once()
    {
        var encounter = await InConsult(Vitals);
        var (order, items) = await Order(encounter);
        var sample = await Collect(order, items);

        var wrong = await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = "CLINIC-1-19990101-0001", receivedAt = Now }, 400);
        wrong.Problem.Errors!.ShouldContainKey("barcode");
        await Receive(sample);
        (await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample.As<SampleResponse>().Barcode, receivedAt = Now }, 409)).Problem.Code
            .ShouldBe("sample.not_receivable");
        // Received: the item can no longer be cancelled.
        await Doctor.Post($"/api/orders/{order}/items/{items[0]}/cancel", new { reason = "late" }, 409);
    }

    [Fact]
    public async Task the_person_who_entered_a_result_cannot_verify_it()
    {
        var encounter = await InConsult(Vitals);
        var (order, items) = await Order(encounter);
        await Received(order, items[0]);
        var supervisorAsEnterer = Supervisor;
        await supervisorAsEnterer.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 92m } } }, 201);
        (await supervisorAsEnterer.PostReviewed($"/api/lab/results/{items[0]}", "verify", 409)).Problem.Code.ShouldBe("lab.self_verification");
        await Tech.PostReviewed($"/api/lab/results/{items[0]}", "release", 409);

        // Re-entered by a technician, the supervisor may verify the new version.
        Result(await EnterResult(items[0], "2345-7", 95m)).ReportVersion.ShouldBe(2);
        await Supervisor.PostReviewed($"/api/lab/results/{items[0]}", "verify", 200);
    }
}
