using Encounters.Lab;
using Shouldly;

namespace Encounters.Tests;

/// <summary>The lab report list a clinician or the lab searches: by patient, dates, test and status, a page at a time.</summary>
[Collection(ApiCollection.Name)]
public class LabReportListTests(AppFixture app) : ClinicTest(app)
{
    private async Task<(Guid Patient, Guid Item)> Resulted(string test, object analyte, bool release)
    {
        var encounter = await InConsult();
        var (order, items) = await LabOrder(encounter, test);
        await Received(order, items[0]);
        await EnterResult(items[0], analyte);
        if (release) await VerifyAndRelease(items[0]);
        return (await PatientOf(encounter), items[0]);
    }

    private async Task<Guid[]> Listed(Caller caller, string query) =>
        (await caller.Get($"/api/lab/reports?{query}", 200)).As<Page<LabReport>>().Items.Select(r => r.Id).ToArray();

    [Fact]
    public async Task reports_are_listed_by_patient_dates_test_and_status()
    {
        var (xpertPatient, xpert) = await Resulted("XPERT", new { code = "85362-2", valueCode = "not-detected" }, release: true);
        var (_, smear) = await Resulted("AFB", new { code = "11545-1", valueCode = "negative" }, release: false);
        var (x, s) = (xpert, smear);
        var hourAgo = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var inAnHour = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));

        (await Listed(Doctor, "")).ShouldBe([s, x]);
        (await Listed(Doctor, $"patientId={xpertPatient}")).ShouldBe([x]);
        (await Listed(Supervisor, "testCode=AFB")).ShouldBe([s]);
        (await Listed(Tech, "status=preliminary")).ShouldBe([s]);
        (await Listed(Doctor, "status=final")).ShouldBe([x]);
        (await Listed(Doctor, $"from={hourAgo}&to={inAnHour}")).ShouldBe([s, x]);
        (await Listed(Doctor, $"from={inAnHour}")).ShouldBeEmpty();
        (await Listed(Doctor, $"to={hourAgo}")).ShouldBeEmpty();
        (await Listed(Doctor, "pageSize=1&page=2")).ShouldBe([x], "the second page of one");
        (await Doctor.Get("/api/lab/reports?pageSize=1&count=true", 200)).As<Page<LabReport>>().Total.ShouldBe(2);

        // Another facility's clinician sees none of them; a bad filter is refused; the front desk reads no results.
        (await Listed(As("clinician", "dr-kofi", "clinic-2"), "")).ShouldBeEmpty();
        await Doctor.Get("/api/lab/reports?status=done", 400);
        await Doctor.Get($"/api/lab/reports?from={inAnHour}&to={hourAgo}", 400);
        await Reception.Get("/api/lab/reports", 403);
    }
}
