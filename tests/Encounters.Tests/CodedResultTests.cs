using Shouldly;

namespace Encounters.Tests;

/// <summary>TB and point-of-care tests whose results are answers from a value set, or free text.</summary>
[Collection(ApiCollection.Name)]
public class CodedResultTests(AppFixture app) : ClinicTest(app)
{
    private async Task<(Guid Encounter, Guid Item)> Received(string test)
    {
        var encounter = await InConsult();
        var (order, items) = await LabOrder(encounter, test);
        var sample = await Collect(order, items[0]);
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        return (encounter, items[0]);
    }

    private static object Answer(string code, string valueCode) => new { code, valueCode };

    private async Task<Response> Enter(Guid item, params object[] analytes) =>
        await Tech.Post("/api/lab/results", new { orderItemId = item, analytes }, 201);

    private async Task Release(Guid item)
    {
        await Supervisor.PostReviewed($"/api/lab/results/{item}", "verify", 200);
        await Tech.PostReviewed($"/api/lab/results/{item}", "release", 200);
    }

    [Fact]
    public async Task genexpert_with_rifampicin_resistance_is_critical_and_holds_the_visit_until_acknowledged()
    {
        var (encounter, item) = await Received("XPERT");
        var entered = await Enter(item, Answer("85362-2", "detected"), Answer("48176-2", "detected"));
        entered["critical"].ShouldBe("true");
        await Release(item);

        var analytes = (await Doctor.Get($"/api/lab/results/{item}", 200)).Json["versions"]![0]!["analytes"]!.AsArray();
        analytes[0]!["flag"]!.ToString().ShouldBe("A");
        analytes[0]!["valueDisplay"]!.ToString().ShouldBe("MTB detected");
        analytes[1]!["flag"]!.ToString().ShouldBe("AA");
        analytes[1]!["valueCode"]!.ToString().ShouldBe("detected");

        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 88 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Pulmonary TB, RIF resistant." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Refer to the MDR-TB clinic today." }, 200);
        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "referred" }, 409);
        refused.Json["unmetRules"]!.AsArray().Select(r => r!["rule"]!.ToString()).ShouldBe(["critical-results-acknowledged"]);

        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "MDR-TB: referred, contacts listed." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "referred" }, 200);
    }

    [Fact]
    public async Task a_smear_is_graded_on_its_ordinal_scale()
    {
        var (_, item) = await Received("AFB");
        var entered = await Enter(item, Answer("11545-1", "2+"));
        entered["critical"].ShouldBe("false");

        var smear = (await Tech.Get($"/api/lab/results/{item}", 200)).Json["versions"]![0]!["analytes"]![0]!;
        smear["valueCode"]!.ToString().ShouldBe("2+");
        smear["valueDisplay"]!.ToString().ShouldBe("2+ (1-10 AFB per field)");
        smear["flag"]!.ToString().ShouldBe("A");
        var catalog = (await Tech.Get("/api/lab/catalog?pageSize=100", 200)).Json["items"]!.AsArray();
        var afb = catalog.Single(t => t!["id"]!.ToString() == "AFB")!["analytes"]![0]!;
        afb["type"]!.ToString().ShouldBe("ordinal");
        afb["valueSet"]!.AsArray().Select(v => v!["code"]!.ToString()).ShouldBe(["negative", "scanty", "1+", "2+", "3+"]);
    }

    [Fact]
    public async Task a_value_outside_the_value_set_is_refused()
    {
        var (_, item) = await Received("XPERT");
        var refused = await Tech.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { Answer("85362-2", "positive") } }, 400);
        refused.Json["errors"]!["analytes[0].valueCode"]!.ToString().ShouldContain("not-detected");
        await Tech.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { new { code = "85362-2", value = 1m } } }, 400);
        await Tech.Get($"/api/lab/results/{item}", 404);
    }

    [Fact]
    public async Task a_corrected_culture_keeps_the_original_readable()
    {
        var (_, item) = await Received("TBCULT");
        await Enter(item, Answer("543-9", "mtb-complex"), new { code = "48767-8", text = "Growth at 3 weeks." });
        await Release(item);

        await Tech.Post($"/api/lab/results/{item}/correct", new
        {
            analytes = new object[] { Answer("543-9", "ntm"), new { code = "48767-8", text = "Speciation: M. avium complex." } },
            reason = "Line probe assay identified NTM, not MTB complex.",
        }, 200);
        await Release(item);

        var report = (await Doctor.Get($"/api/lab/results/{item}", 200)).Json;
        report["status"]!.ToString().ShouldBe("corrected");
        var versions = report["versions"]!.AsArray();
        versions.Count.ShouldBe(2);
        versions[0]!["status"]!.ToString().ShouldBe("final");
        versions[0]!["analytes"]![0]!["valueCode"]!.ToString().ShouldBe("mtb-complex");
        versions[0]!["analytes"]![1]!["text"]!.ToString().ShouldBe("Growth at 3 weeks.");
        versions[1]!["analytes"]![0]!["valueCode"]!.ToString().ShouldBe("ntm");
        versions[1]!["correctionReason"]!.ToString().ShouldContain("NTM");
    }
}
