using Encounters.Lab;
using Shouldly;

namespace Encounters.Tests;

public partial class LabTests
{
    [Fact]
    public async Task a_correction_after_release_is_a_new_version_verified_and_released_again_and_the_original_stays()
    {
        var encounter = await InConsult(Vitals);
        var (order, items) = await Order(encounter);
        var item = items[0];
        await Received(order, item);
        await Released(item, 105m);

        var otherSupervisor = As("lab_supervisor", "sup-sue");
        await otherSupervisor.Post($"/api/lab/results/{item}/correct", new { analytes = new[] { new { code = "2345-7", value = 150m } } }, 400);
        var corrected = await otherSupervisor.Post($"/api/lab/results/{item}/correct",
            new { analytes = new[] { new { code = "2345-7", value = 150m } }, reason = "Transcription error" }, 200);
        Result(corrected).Status.ShouldBe("corrected");
        Result(corrected).ReportVersion.ShouldBe(2);
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 409);
        (await otherSupervisor.PostReviewed($"/api/lab/results/{item}", "verify", 409)).Problem.Code.ShouldBe("lab.self_verification");
        await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        await Settled(() => Tech.PostReviewed($"/api/lab/results/{item}", "release", 200));

        var report = (await Doctor.Get($"/api/lab/results/{item}", 200)).As<LabReport>();
        report.Status.ShouldBe("corrected");
        var versions = report.Versions;
        versions.Count.ShouldBe(2);
        versions[0].Status.ShouldBe("final");
        versions[0].Analytes[0].Value.ShouldBe(105m);
        versions[0].Analytes[0].Flag.ShouldBe("H");
        versions[1].CorrectionReason.ShouldBe("Transcription error");
        versions[1].Analytes[0].Value.ShouldBe(150m);

        var view = await EncounterWithResults(encounter, 1);
        view.Results[0].ReportVersion.ShouldBe(2);
        view.Results[0].Corrected.ShouldBeTrue();
    }

    [Fact]
    public async Task result_entry_checks_units_analytes_and_that_the_sample_was_received()
    {
        var encounter = await InConsult(Vitals);
        var (order, items) = await Order(encounter, "routine", "GLU", "LIPID");
        var glucose = items.First();

        var notReceived = await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = new[] { new { code = "2345-7", value = 90m } } }, 409);
        notReceived.Problem.Code.ShouldBe("lab.sample_not_received");

        await Received(order, glucose);
        var unit = await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = new[] { new { code = "2345-7", value = 5.1m, unit = "mmol/L" } } }, 400);
        unit.Problem.Errors!.ShouldContainKey("analytes[0].unit");
        var unknown = await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = new[] { new { code = "718-7", value = 13m, unit = "g/dL" } } }, 400);
        unknown.Problem.Errors!.ShouldContainKey("analytes[0].code");
        await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = Array.Empty<object>() }, 400);
        await Tech.Post("/api/lab/results", new { orderItemId = Guid.NewGuid(), analytes = new[] { new { code = "2345-7", value = 90m } } }, 404);
        (await Tech.Get($"/api/lab/results/{glucose}", 404)).ContentType.ShouldStartWith("application/problem+json");
    }

    [Fact]
    public async Task ordering_needs_an_active_encounter_and_known_current_tests()
    {
        var encounter = await InConsult(Vitals);
        var unknown = await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "GLU" }, new { serviceCode = "XYZ" }, new { serviceCode = "ABC" } } }, 400);
        unknown.Problem.Errors!["items"][0].ShouldContain("XYZ, ABC");
        await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "soon", items = new[] { new { serviceCode = "GLU" } } }, 400);

        await Admin.Post("/api/lab/catalog/TSH/retire", new { reason = "Sent out to the reference lab" }, 403);
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", null, 400);
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", new { reason = "Sent out to the reference lab" }, 200);
        (await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "TSH" } } }, 400))
            .Problem.Errors!["items"][0].ShouldContain("TSH");
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", new { reason = "Again" }, 409);

        var planned = await TestData.PlanEncounter(Reception);
        (await Doctor.Post("/api/orders", new { encounterId = planned, priority = "routine", items = new[] { new { serviceCode = "GLU" } } }, 409))
            .Problem.Code.ShouldBe("order.encounter_not_active");

        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Well." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Home." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);
        (await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "GLU" } } }, 409))
            .Problem.CurrentStatus.ShouldBe("finished");
    }

    [Fact]
    public async Task a_tenant_admin_can_add_a_test_that_can_then_be_ordered_and_a_facility_admin_cannot()
    {
        var test = new
        {
            code = "FERR", loinc = "2276-4", name = "Ferritin",
            specimen = new { type = "serum", container = "serum separator tube (gold top)" },
            analytes = new[] { new { code = "2276-4", name = "Ferritin", unit = "ng/mL", referenceRanges = new[] { new { low = 12m, high = 300m } } } },
        };
        await Doctor.Post("/api/lab/catalog", test, 403);
        await Admin.Post("/api/lab/catalog", test, 403);
        await TenantAdmin.Post("/api/lab/catalog", test, 201);
        (await TenantAdmin.Post("/api/lab/catalog", test, 409)).Problem.Code.ShouldBe("catalog.duplicate_code");
        await TenantAdmin.Post("/api/lab/catalog", new { code = "bad code", analytes = Array.Empty<object>() }, 400);

        var encounter = await InConsult(Vitals);
        await Order(encounter, "routine", "FERR");
    }

    [Fact]
    public async Task roles_and_facilities_are_enforced_on_the_lab_path()
    {
        var encounter = await InConsult(Vitals);
        await Nurse.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "GLU" } } }, 403);
        var (order, items) = await Order(encounter);
        var sample = await Collect(order, items);
        await Nurse.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample.As<SampleResponse>().Barcode, receivedAt = Now }, 403);
        await Receive(sample);
        await Doctor.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 90m } } }, 403);
        await EnterResult(items[0], "2345-7", 90m);
        await OtherTech.Post($"/api/lab/results/{items[0]}/verify", null, 403);
        var auditor = Auditor;
        await auditor.Post($"/api/lab/results/{items[0]}/release", null, 403);
        await auditor.Get($"/api/lab/results/{items[0]}", 200);

        var elsewhere = As("lab_supervisor", "sup-2", "clinic-2");
        await elsewhere.Get($"/api/orders/{order}", 404);
        await elsewhere.Get($"/api/lab/samples/{sample.Id}", 404);
        await elsewhere.Get($"/api/lab/results/{items[0]}", 404);
        await elsewhere.Post($"/api/lab/results/{items[0]}/verify", null, 404);
        await As("lab_technician", "tech-2", "clinic-2").Post($"/api/lab/samples/{sample.Id}/reject", new { reason = "clotted" }, 404);
        await As("clinician", "dr-2", "clinic-2").Post("/api/lab/samples",
            new { orderId = order, itemIds = items, collectedAt = Now }, 403);
        (await elsewhere.Get("/api/lab/worklist?stage=to-verify", 200)).As<Page<WorklistRow>>().Items.Count.ShouldBe(0);
        (await Supervisor.Get("/api/lab/worklist?stage=to-verify", 200)).As<Page<WorklistRow>>().Items.Count.ShouldBe(1);
    }

    [Fact]
    public async Task concurrent_collections_get_unique_gap_free_accession_numbers()
    {
        var encounter = await InConsult(Vitals);
        var orders = new List<(Guid Order, Guid[] Items)>();
        for (var i = 0; i < 8; i++) orders.Add(await Order(encounter));

        var samples = await Task.WhenAll(orders.Select(o => Collect(o.Order, o.Items)));
        var numbers = samples.Select(s => int.Parse(s.As<SampleResponse>().AccessionNumber[^4..])).Order().ToList();
        numbers.ShouldBe(Enumerable.Range(1, 8).ToList());
    }

    [Fact]
    public async Task worklists_put_stat_first_then_the_oldest_and_turnaround_is_reported()
    {
        var encounter = await InConsult(Vitals);
        var routine = await Order(encounter, "routine", "CRP");
        var stat = await Order(encounter, "stat", "K");
        var toCollect = (await Nurse.Get("/api/lab/worklist?stage=to-collect", 200)).As<Page<WorklistRow>>().Items;
        toCollect.Select(r => r.Priority).ShouldBe([OrderPriority.Stat, OrderPriority.Routine]);
        toCollect[0].WaitingMinutes.ShouldBeGreaterThanOrEqualTo(0);
        await Nurse.Get("/api/lab/worklist?stage=everything", 400);

        await Received(stat.Order, stat.Items[0]);
        await EnterResult(stat.Items[0], "2823-3", 4.2m);
        await VerifyAndRelease(stat.Items[0]);

        var from = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        await CaughtUp(); // the tallies are kept by the async daemon
        var tat = (await Supervisor.Get($"/api/lab/tat?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", 200)).As<TurnaroundRow[]>();
        var potassium = tat.Single(r => r.ServiceCode == "K");
        potassium.Priority.ShouldBe(OrderPriority.Stat);
        potassium.OrderedToReleased.Count.ShouldBe(1);
        potassium.OrderedToReleased.Median!.Value.ShouldBeGreaterThanOrEqualTo(0);
        tat.Single(r => r.ServiceCode == "CRP").OrderedToReleased.Count.ShouldBe(0);
        await Supervisor.Get("/api/lab/tat", 400);
    }
}
