using Encounters.Lab;
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
        await Received(order, items[0]);
        return (encounter, items[0]);
    }

    private static object Answer(string code, string valueCode) => new { code, valueCode };

    private async Task<LabReport> Report(Guid item, Caller? reader = null) =>
        (await (reader ?? Doctor).Get($"/api/lab/results/{item}", 200)).As<LabReport>();

    [Fact]
    public async Task genexpert_with_rifampicin_resistance_is_critical_and_holds_the_visit_until_acknowledged()
    {
        var (encounter, item) = await Received("XPERT");
        var entered = await EnterResult(item, Answer("85362-2", "detected"), Answer("48176-2", "detected"));
        entered.As<LabResultResponse>().Critical.ShouldBeTrue();
        await VerifyAndRelease(item);

        var analytes = (await Report(item)).Versions[0].Analytes;
        analytes[0].Flag.ShouldBe("A");
        analytes[0].ValueDisplay.ShouldBe("MTB detected");
        analytes[1].Flag.ShouldBe("AA");
        analytes[1].ValueCode.ShouldBe("detected");

        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 88 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Pulmonary TB, RIF resistant." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Refer to the MDR-TB clinic today." }, 200);
        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "referred" }, 409);
        refused.Problem.UnmetRules!.Select(r => r.Rule).ShouldBe(["critical-results-acknowledged"]);

        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "MDR-TB: referred, contacts listed." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "referred" }, 200);
    }

    [Fact]
    public async Task a_smear_is_graded_on_its_ordinal_scale()
    {
        var (_, item) = await Received("AFB");
        var entered = await EnterResult(item, Answer("11545-1", "2+"));
        entered.As<LabResultResponse>().Critical.ShouldBeFalse();

        var smear = (await Report(item, Tech)).Versions[0].Analytes[0];
        smear.ValueCode.ShouldBe("2+");
        smear.ValueDisplay.ShouldBe("2+ (1-10 AFB per field)");
        smear.Flag.ShouldBe("A");
        var catalog = (await Tech.Get("/api/lab/catalog?pageSize=100", 200)).As<Page<LabTest>>().Items;
        var afb = catalog.Single(t => t.Id == "AFB").Analytes[0];
        afb.Type.ShouldBe(ResultValueType.Ordinal);
        afb.ValueSet!.Select(v => v.Code).ShouldBe(["negative", "scanty", "1+", "2+", "3+"]);
    }

    [Fact]
    public async Task a_value_outside_the_value_set_is_refused()
    {
        var (_, item) = await Received("XPERT");
        var refused = await Tech.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { Answer("85362-2", "positive") } }, 400);
        refused.Problem.Errors!["analytes[0].valueCode"].ShouldContain(m => m.Contains("not-detected"));
        await Tech.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { new { code = "85362-2", value = 1m } } }, 400);
        await Tech.Get($"/api/lab/results/{item}", 404);
    }

    [Fact]
    public async Task a_corrected_culture_keeps_the_original_readable()
    {
        var (_, item) = await Received("TBCULT");
        await EnterResult(item, Answer("543-9", "mtb-complex"), new { code = "48767-8", text = "Growth at 3 weeks." });
        await VerifyAndRelease(item);

        await Tech.Post($"/api/lab/results/{item}/correct", new
        {
            analytes = new object[] { Answer("543-9", "ntm"), new { code = "48767-8", text = "Speciation: M. avium complex." } },
            reason = "Line probe assay identified NTM, not MTB complex.",
        }, 200);
        await VerifyAndRelease(item);

        var report = await Report(item);
        report.Status.ShouldBe("corrected");
        var versions = report.Versions;
        versions.Count.ShouldBe(2);
        versions[0].Status.ShouldBe("final");
        versions[0].Analytes[0].ValueCode.ShouldBe("mtb-complex");
        versions[0].Analytes[1].Text.ShouldBe("Growth at 3 weeks.");
        versions[1].Analytes[0].ValueCode.ShouldBe("ntm");
        versions[1].CorrectionReason!.ShouldContain("NTM");
    }
}
