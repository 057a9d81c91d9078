using System.Text.Json.Nodes;
using Marten;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Orders, samples and results from the clinic to the lab and back.</summary>
[Collection(ApiCollection.Name)]
public class LabTests(AppFixture app) : ClinicTest(app)
{

    private Caller OtherTech => As("lab_technician", "tech-tia");

    private async Task<Guid> EncounterInConsult()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { systolicBp = 120, diastolicBp = 80 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        return encounter;
    }

    private async Task<(Guid Order, Guid[] Items)> Order(Guid encounter, string priority = "routine", params string[] tests)
    {
        var lines = (tests.Length == 0 ? ["GLU"] : tests).Select(code => new { serviceCode = code }).ToArray();
        var order = await Doctor.Post("/api/orders", new { encounterId = encounter, priority, items = lines }, 201);
        var items = order.Json["items"]!.AsObject().Select(kv => Guid.Parse(kv.Key)).ToArray();
        return (order.Id, items);
    }

    private async Task<Guid> Received(Guid order, Guid item)
    {
        var sample = await Collect(order, item);
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        return sample.Id;
    }

    private async Task Released(Guid item, decimal glucose)
    {
        await Tech.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { new { code = "2345-7", value = glucose, unit = "mg/dL" } } }, 201);
        await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);
    }

    private async Task Closable(Guid encounter)
    {
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Hyperglycaemia." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Admit." }, 200);
    }

    /// <summary>The released report reaches the encounter through a durable Wolverine message: wait (bounded) for it.</summary>
    private async Task<JsonNode> EncounterWithResults(Guid encounter, int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var view = (await Doctor.Get($"/api/encounters/{encounter}", 200)).Json;
            if (view["results"]!.AsArray().Count >= count || attempt == 100) return view;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task the_catalog_has_real_tests_and_analytes()
    {
        var catalog = (await Doctor.Get("/api/lab/catalog", 200)).Json["items"]!.AsArray();
        catalog.Count.ShouldBeGreaterThanOrEqualTo(10);
        catalog.Sum(t => t!["analytes"]!.AsArray().Count).ShouldBeGreaterThanOrEqualTo(25);
        var glucose = catalog.Single(t => t!["id"]!.ToString() == "GLU")!;
        glucose["loinc"]!.ToString().ShouldBe("2345-7");
        glucose["analytes"]![0]!["unit"]!.ToString().ShouldBe("mg/dL");
        glucose["analytes"]![0]!["criticalHigh"]!.GetValue<decimal>().ShouldBe(500m);
    }

    [Fact]
    public async Task the_whole_path_from_order_to_closing_the_encounter_with_a_critical_result()
    {
        var encounter = await EncounterInConsult();
        var (order, items) = await Order(encounter, "stat", "GLU");
        var item = items.Single();

        var sample = await Collect(order, item);
        sample["accessionNumber"].ShouldMatch(@"^CLINIC-1-\d{8}-0001$");
        sample["barcode"].ShouldBe(sample["accessionNumber"]);
        (await Tech.Get($"/api/lab/samples?barcode={sample["barcode"]}", 200)).Json.AsArray().Single()!["id"]!.ToString()
            .ShouldBe(sample.Id.ToString());
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);

        var entered = await Tech.Post("/api/lab/results",
            new { orderItemId = item, analytes = new[] { new { code = "2345-7", value = 620m, unit = "mg/dL" } }, comment = "Repeated, confirmed." }, 201);
        entered["status"].ShouldBe("preliminary");
        entered["critical"].ShouldBe("true");
        (await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200))["stage"].ShouldBe("verified");
        var released = await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);
        released["status"].ShouldBe("final");

        var report = (await Doctor.Get($"/api/lab/results/{item}", 200)).Json;
        var glucose = report["versions"]![0]!["analytes"]![0]!;
        glucose["flag"]!.ToString().ShouldBe("HH");
        glucose["referenceHigh"]!.GetValue<decimal>().ShouldBe(99m);
        glucose["criticalHigh"]!.GetValue<decimal>().ShouldBe(500m);
        report["versions"]![0]!["verifiedBy"]!["userId"]!.ToString().ShouldBe("sup-sam");

        // The encounter shows the result, and cannot close until the critical value is acknowledged.
        var view = await EncounterWithResults(encounter, 1);
        view["results"]![0]!["critical"]!.GetValue<bool>().ShouldBeTrue();
        view["orders"]![0]!["items"]![0]!["resultStatus"]!.ToString().ShouldBe("final");
        (await Doctor.Get($"/api/encounters/{encounter}/results", 200)).Json.AsArray().Count.ShouldBe(1);

        await Closable(encounter);
        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "admitted" }, 409);
        refused.Json["unmetRules"]!.AsArray().Select(r => r!["rule"]!.ToString()).ShouldBe(["critical-results-acknowledged"]);

        var otherDoctor = As("clinician", "dr-ama");
        (await otherDoctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "Seen" }, 403))["code"].ShouldBe("lab.not_ordering_clinician");
        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "" }, 400);
        (await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "Insulin started, admitted." }, 200))["criticalAcknowledged"].ShouldBe("true");
        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "again" }, 409);

        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "admitted" }, 200);
    }

    [Fact]
    public async Task an_open_lab_order_holds_the_close_until_released_cancelled_or_marked_results_to_follow()
    {
        var encounter = await EncounterInConsult();
        await Closable(encounter);
        var (order, items) = await Order(encounter, "routine", "CRP", "TSH");

        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409);
        refused.Json["unmetRules"]!.AsArray().Select(r => r!["rule"]!.ToString()).ShouldBe(["lab-orders-resolved"]);

        await Doctor.Post($"/api/orders/{order}/items/{items[0]}/cancel", new { reason = "Not needed" }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 409);
        await Doctor.Post($"/api/orders/{order}/results-to-follow", null, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);
    }

    [Fact]
    public async Task a_rejected_sample_sends_its_items_back_for_recollection()
    {
        var encounter = await EncounterInConsult();
        var (order, items) = await Order(encounter, "urgent", "K", "NA");
        var first = await Collect(order, items);
        (await Tech.Get("/api/lab/worklist?stage=to-receive", 200)).Json["items"]!.AsArray().Count.ShouldBe(2);

        await Tech.Post($"/api/lab/samples/{first.Id}/reject", new { reason = "other" }, 400);
        var rejected = await Tech.Post($"/api/lab/samples/{first.Id}/reject", new { reason = "hemolyzed", note = "Grossly hemolyzed" }, 200);
        rejected["status"].ShouldBe("rejected");
        await Tech.Post($"/api/lab/samples/{first.Id}/receive", new { barcode = first["barcode"], receivedAt = Now }, 409);

        var toCollect = (await Nurse.Get("/api/lab/worklist?stage=to-collect", 200)).Json["items"]!.AsArray();
        toCollect.Select(r => Guid.Parse(r!["itemId"]!.ToString())).ShouldBe(items, ignoreOrder: true);
        var second = await Collect(order, items);
        second["accessionNumber"].ShouldNotBe(first["accessionNumber"]);
        (await Tech.Get($"/api/lab/samples/{first.Id}", 200))["rejectionReason"].ShouldBe("hemolyzed");
    }

    [Fact]
    public async Task receiving_needs_the_matching_barcode_and_happens_once()
    {
        var encounter = await EncounterInConsult();
        var (order, items) = await Order(encounter);
        var sample = await Collect(order, items);

        var wrong = await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = "CLINIC-1-19990101-0001", receivedAt = Now }, 400);
        wrong.Json["errors"]!["barcode"].ShouldNotBeNull();
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        (await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 409))["code"]
            .ShouldBe("sample.not_receivable");
        // Received: the item can no longer be cancelled.
        await Doctor.Post($"/api/orders/{order}/items/{items[0]}/cancel", new { reason = "late" }, 409);
    }

    [Fact]
    public async Task the_person_who_entered_a_result_cannot_verify_it()
    {
        var encounter = await EncounterInConsult();
        var (order, items) = await Order(encounter);
        await Received(order, items[0]);
        var supervisorAsEnterer = Supervisor;
        await supervisorAsEnterer.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 92m } } }, 201);
        (await supervisorAsEnterer.PostReviewed($"/api/lab/results/{items[0]}", "verify", 409))["code"].ShouldBe("lab.self_verification");
        await Tech.PostReviewed($"/api/lab/results/{items[0]}", "release", 409);

        // Re-entered by a technician, the supervisor may verify the new version.
        var again = await Tech.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 95m } } }, 201);
        again["reportVersion"].ShouldBe("2");
        await Supervisor.PostReviewed($"/api/lab/results/{items[0]}", "verify", 200);
    }

    [Fact]
    public async Task a_correction_after_release_is_a_new_version_verified_and_released_again_and_the_original_stays()
    {
        var encounter = await EncounterInConsult();
        var (order, items) = await Order(encounter);
        var item = items[0];
        await Received(order, item);
        await Released(item, 105m);

        var otherSupervisor = As("lab_supervisor", "sup-sue");
        await otherSupervisor.Post($"/api/lab/results/{item}/correct", new { analytes = new[] { new { code = "2345-7", value = 150m } } }, 400);
        var corrected = await otherSupervisor.Post($"/api/lab/results/{item}/correct",
            new { analytes = new[] { new { code = "2345-7", value = 150m } }, reason = "Transcription error" }, 200);
        corrected["status"].ShouldBe("corrected");
        corrected["reportVersion"].ShouldBe("2");
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 409);
        (await otherSupervisor.PostReviewed($"/api/lab/results/{item}", "verify", 409))["code"].ShouldBe("lab.self_verification");
        await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);

        var report = (await Doctor.Get($"/api/lab/results/{item}", 200)).Json;
        report["status"]!.ToString().ShouldBe("corrected");
        var versions = report["versions"]!.AsArray();
        versions.Count.ShouldBe(2);
        versions[0]!["status"]!.ToString().ShouldBe("final");
        versions[0]!["analytes"]![0]!["value"]!.GetValue<decimal>().ShouldBe(105m);
        versions[0]!["analytes"]![0]!["flag"]!.ToString().ShouldBe("H");
        versions[1]!["correctionReason"]!.ToString().ShouldBe("Transcription error");
        versions[1]!["analytes"]![0]!["value"]!.GetValue<decimal>().ShouldBe(150m);

        var view = await EncounterWithResults(encounter, 1);
        for (var attempt = 0; attempt < 100 && view["results"]![0]!["reportVersion"]!.GetValue<int>() < 2; attempt++)
        {
            await Task.Delay(100);
            view = (await Doctor.Get($"/api/encounters/{encounter}", 200)).Json;
        }
        view["results"]![0]!["corrected"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task result_entry_checks_units_analytes_and_that_the_sample_was_received()
    {
        var encounter = await EncounterInConsult();
        var (order, items) = await Order(encounter, "routine", "GLU", "LIPID");
        var glucose = items.First();

        var notReceived = await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = new[] { new { code = "2345-7", value = 90m } } }, 409);
        notReceived["code"].ShouldBe("lab.sample_not_received");

        await Received(order, glucose);
        var unit = await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = new[] { new { code = "2345-7", value = 5.1m, unit = "mmol/L" } } }, 400);
        unit.Json["errors"]!["analytes[0].unit"].ShouldNotBeNull();
        var unknown = await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = new[] { new { code = "718-7", value = 13m, unit = "g/dL" } } }, 400);
        unknown.Json["errors"]!["analytes[0].code"].ShouldNotBeNull();
        await Tech.Post("/api/lab/results", new { orderItemId = glucose, analytes = Array.Empty<object>() }, 400);
        await Tech.Post("/api/lab/results", new { orderItemId = Guid.NewGuid(), analytes = new[] { new { code = "2345-7", value = 90m } } }, 404);
        (await Tech.Get($"/api/lab/results/{glucose}", 404)).ContentType.ShouldStartWith("application/problem+json");
    }

    [Fact]
    public async Task ordering_needs_an_active_encounter_and_known_current_tests()
    {
        var encounter = await EncounterInConsult();
        var unknown = await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "GLU" }, new { serviceCode = "XYZ" }, new { serviceCode = "ABC" } } }, 400);
        unknown.Json["errors"]!["items"]![0]!.ToString().ShouldContain("XYZ, ABC");
        await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "soon", items = new[] { new { serviceCode = "GLU" } } }, 400);

        await Admin.Post("/api/lab/catalog/TSH/retire", new { reason = "Sent out to the reference lab" }, 403);
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", null, 400);
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", new { reason = "Sent out to the reference lab" }, 200);
        (await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "TSH" } } }, 400))
            .Json["errors"]!["items"]![0]!.ToString().ShouldContain("TSH");
        await TenantAdmin.Post("/api/lab/catalog/TSH/retire", new { reason = "Again" }, 409);

        var planned = await TestData.PlanEncounter(Reception);
        (await Doctor.Post("/api/orders", new { encounterId = planned, priority = "routine", items = new[] { new { serviceCode = "GLU" } } }, 409))
            ["code"].ShouldBe("order.encounter_not_active");

        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Well." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Home." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);
        (await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "GLU" } } }, 409))
            ["currentStatus"].ShouldBe("finished");
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
        (await TenantAdmin.Post("/api/lab/catalog", test, 409))["code"].ShouldBe("catalog.duplicate_code");
        await TenantAdmin.Post("/api/lab/catalog", new { code = "bad code", analytes = Array.Empty<object>() }, 400);

        var encounter = await EncounterInConsult();
        await Order(encounter, "routine", "FERR");
    }

    [Fact]
    public async Task roles_and_facilities_are_enforced_on_the_lab_path()
    {
        var encounter = await EncounterInConsult();
        await Nurse.Post("/api/orders", new { encounterId = encounter, priority = "routine", items = new[] { new { serviceCode = "GLU" } } }, 403);
        var (order, items) = await Order(encounter);
        var sample = await Collect(order, items);
        await Nurse.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 403);
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        await Doctor.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 90m } } }, 403);
        await Tech.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 90m } } }, 201);
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
        (await elsewhere.Get("/api/lab/worklist?stage=to-verify", 200)).Json["items"]!.AsArray().Count.ShouldBe(0);
        (await Supervisor.Get("/api/lab/worklist?stage=to-verify", 200)).Json["items"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task concurrent_collections_get_unique_gap_free_accession_numbers()
    {
        var encounter = await EncounterInConsult();
        var orders = new List<(Guid Order, Guid[] Items)>();
        for (var i = 0; i < 8; i++) orders.Add(await Order(encounter));

        var samples = await Task.WhenAll(orders.Select(o => Collect(o.Order, o.Items)));
        var numbers = samples.Select(s => int.Parse(s["accessionNumber"][^4..])).Order().ToList();
        numbers.ShouldBe(Enumerable.Range(1, 8).ToList());
    }

    [Fact]
    public async Task worklists_put_stat_first_then_the_oldest_and_turnaround_is_reported()
    {
        var encounter = await EncounterInConsult();
        var routine = await Order(encounter, "routine", "CRP");
        var stat = await Order(encounter, "stat", "K");
        var toCollect = (await Nurse.Get("/api/lab/worklist?stage=to-collect", 200)).Json["items"]!.AsArray();
        toCollect.Select(r => r!["priority"]!.ToString()).ShouldBe(["stat", "routine"]);
        toCollect[0]!["waitingMinutes"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        await Nurse.Get("/api/lab/worklist?stage=everything", 400);

        await Received(stat.Order, stat.Items[0]);
        await Tech.Post("/api/lab/results", new { orderItemId = stat.Items[0], analytes = new[] { new { code = "2823-3", value = 4.2m } } }, 201);
        await Supervisor.PostReviewed($"/api/lab/results/{stat.Items[0]}", "verify", 200);
        await Tech.PostReviewed($"/api/lab/results/{stat.Items[0]}", "release", 200);

        var from = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var tat = (await Supervisor.Get($"/api/lab/tat?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", 200)).Json.AsArray();
        var potassium = tat.Single(r => r!["serviceCode"]!.ToString() == "K")!;
        potassium["priority"]!.ToString().ShouldBe("stat");
        potassium["orderedToReleased"]!["count"]!.GetValue<int>().ShouldBe(1);
        potassium["orderedToReleased"]!["median"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(0);
        tat.Single(r => r!["serviceCode"]!.ToString() == "CRP")!["orderedToReleased"]!["count"]!.GetValue<int>().ShouldBe(0);
        await Supervisor.Get("/api/lab/tat", 400);
    }
}
