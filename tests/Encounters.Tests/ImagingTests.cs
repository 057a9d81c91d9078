using Encounters.Encounters;
using Encounters.Imaging;
using Encounters.Tasks;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Imaging from the clinician's request through the radiographer and the radiologists back to the visit.</summary>
[Collection(ApiCollection.Name)]
public class ImagingTests(AppFixture app) : ClinicTest(app)
{
    private Caller Radiographer => As("radiographer", "rg-rose");
    private Caller Radiologist => As("radiologist", "rl-lee");
    private Caller SecondRadiologist => As("radiologist", "rl-ola");

    private async Task<(Guid Encounter, Guid Request)> Ordered(string procedure = "CXR-PA", string priority = "stat")
    {
        var encounter = await InConsult();
        var request = await Doctor.Post("/api/imaging",
            new { encounterId = encounter, procedureCode = procedure, priority, clinicalIndication = "Sudden dyspnoea, absent breath sounds on the right." }, 201);
        return (encounter, request.Id);
    }

    private Task<Response> Perform(Guid request) => Radiographer.Post($"/api/imaging/{request}/perform", new
    {
        performedAt = Now, technique = "PA erect, full inspiration", studyInstanceUid = "1.2.826.0.1.3680043.2.1125.7", accessionNumber = "XR-0007",
    }, 200);

    private static object Report(bool critical, string impression = "Large right tension pneumothorax.") => new
    {
        findings = "Large right pneumothorax with mediastinal shift to the left.", impression, critical,
        conclusion = new { system = "http://snomed.info/sct", code = "36118008", display = "Pneumothorax" },
    };

    private async Task<Guid[]> Worklist(Caller caller, string step) =>
        (await caller.Get($"/api/imaging/worklist?step={step}", 200)).As<Page<ImagingWorklistRow>>().Items.Select(r => r.RequestId).ToArray();

    private static ImagingResponse Answer(Response answer) => answer.As<ImagingResponse>();

    private async Task<ImagingView> Study(Guid request) => (await Doctor.Get($"/api/imaging/{request}", 200)).As<ImagingView>();

    [Fact]
    public async Task a_chest_xray_goes_from_order_to_an_acknowledged_critical_finding_and_only_then_the_visit_closes()
    {
        var (encounter, request) = await Ordered();
        (await Worklist(Radiographer, "to-perform")).ShouldContain(request);

        Answer(await Perform(request)).Study.ShouldBe(StudyState.Available);
        (await Worklist(Radiologist, "to-report")).ShouldContain(request);
        (await Worklist(Radiographer, "to-perform")).ShouldNotContain(request);

        await Radiographer.Post($"/api/imaging/{request}/report", Report(critical: true), 403);
        Answer(await Radiologist.Post($"/api/imaging/{request}/report", Report(critical: true), 200)).ReportStatus.ShouldBe("preliminary");
        (await Worklist(SecondRadiologist, "to-verify")).ShouldContain(request);
        (await Radiologist.PostReviewed($"/api/imaging/{request}", "verify", 409)).Problem.Code.ShouldBe("imaging.self_verification");
        await Radiologist.PostReviewed($"/api/imaging/{request}", "release", 409);
        await SecondRadiologist.PostReviewed($"/api/imaging/{request}", "verify", 200);
        Answer(await Settled(() => Radiologist.PostReviewed($"/api/imaging/{request}", "release", 200))).ReportStatus.ShouldBe("final");

        var study = await Study(request);
        study.StudyInstanceUid.ShouldBe("1.2.826.0.1.3680043.2.1125.7");
        study.Versions[0].VerifiedBy!.UserId.ShouldBe("rl-ola");
        study.Versions[0].Conclusion!.Display.ShouldBe("Pneumothorax");
        study.AwaitingAcknowledgement.ShouldBeTrue();

        // The release reaches the visit through the outbox; until the finding is acknowledged the visit stays open.
        (await Doctor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().ImagingReports.Count.ShouldBe(1);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 124 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Tension pneumothorax." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Needle decompression, chest drain, admit." }, 200);
        var refused = await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "admitted" }, 409);
        refused.Problem.UnmetRules!.Select(r => r.Rule).ShouldBe(["critical-results-acknowledged"]);

        var tasks = (await Doctor.Get("/api/tasks", 200)).As<Page<TaskView>>().Items;
        tasks.ShouldContain(t => t.Task.Title == "Acknowledge a CRITICAL imaging finding");
        (await As("clinician", "dr-ama").Post($"/api/imaging/{request}/acknowledge", new { note = "Seen" }, 403)).Problem.Code
            .ShouldBe("imaging.not_ordering_clinician");
        await Settled(() => Doctor.Post($"/api/imaging/{request}/acknowledge", new { note = "Decompressed at 14:05, drain in." }, 200));
        await Doctor.Post($"/api/imaging/{request}/acknowledge", new { note = "again" }, 409);

        var closed = await Doctor.Attempt($"/api/encounters/{encounter}/close", new { disposition = "admitted" });
        closed.Status.ShouldBe(200);
    }

    [Fact]
    public async Task a_study_not_performed_ends_the_request_with_its_reason()
    {
        var (_, request) = await Ordered("US-ABD", "routine");
        await Radiographer.Post($"/api/imaging/{request}/not-performed", new { reason = "" }, 400);
        Answer(await Radiographer.Post($"/api/imaging/{request}/not-performed", new { reason = "Patient had eaten; rebooked." }, 200)).Study
            .ShouldBe(StudyState.Cancelled);
        await Radiographer.Post($"/api/imaging/{request}/perform", new { performedAt = Now, technique = "Supine" }, 409);
        await Radiologist.Post($"/api/imaging/{request}/report", Report(critical: false), 409);

        var study = await Study(request);
        study.NotPerformedReason.ShouldBe("Patient had eaten; rebooked.");
        study.ReportStatus.ShouldBe("cancelled");
        (await Worklist(Radiographer, "to-perform")).ShouldNotContain(request);
    }

    [Fact]
    public async Task an_addendum_is_a_new_version_and_the_original_stays_readable()
    {
        var (_, request) = await Ordered("CXR-PA", "routine");
        await Perform(request);
        await Radiologist.Post($"/api/imaging/{request}/addendum", Report(critical: false), 409);
        await Radiologist.Post($"/api/imaging/{request}/report", Report(critical: false, impression: "No acute findings."), 200);
        await SecondRadiologist.PostReviewed($"/api/imaging/{request}", "verify", 200);
        await Radiologist.PostReviewed($"/api/imaging/{request}", "release", 200);
        await Radiologist.Post($"/api/imaging/{request}/report", Report(critical: false), 409);

        await SecondRadiologist.Post($"/api/imaging/{request}/addendum",
            Report(critical: false, impression: "On review: small right apical nodule; CT advised."), 200);
        await Radiologist.PostReviewed($"/api/imaging/{request}", "verify", 200);
        Answer(await SecondRadiologist.PostReviewed($"/api/imaging/{request}", "release", 200)).ReportStatus.ShouldBe("appended");

        var versions = (await Study(request)).Versions;
        versions.Count.ShouldBe(2);
        versions[0].Impression.ShouldBe("No acute findings.");
        versions[0].Status.ShouldBe("final");
        versions[1].Addendum.ShouldBeTrue();
        versions[1].Status.ShouldBe("appended");
    }

    [Fact]
    public async Task each_step_of_the_department_has_its_worklist_stat_first()
    {
        var (_, routine) = await Ordered("US-PELVIS", "routine");
        var (_, stat) = await Ordered("CXR-PA", "stat");
        (await Worklist(Radiographer, "to-perform")).ShouldBe([stat, routine]);

        await Perform(routine);
        await Radiologist.Post($"/api/imaging/{routine}/report", Report(critical: false, impression: "Normal pelvis."), 200);
        (await Worklist(Radiologist, "to-report")).ShouldBeEmpty();
        (await Worklist(SecondRadiologist, "to-verify")).ShouldBe([routine]);
        await SecondRadiologist.PostReviewed($"/api/imaging/{routine}", "verify", 200);
        (await Worklist(Radiologist, "to-release")).ShouldBe([routine]);

        var all = (await Radiologist.Get("/api/imaging/worklist", 200)).As<Page<ImagingWorklistRow>>().Items;
        all.Select(r => r.Step).ShouldBe(["to-perform", "to-release"]);
        await Radiologist.Get("/api/imaging/worklist?step=to-collect", 400);
        await Doctor.Get("/api/imaging/worklist", 403);
    }

    [Fact]
    public async Task turnaround_counts_each_request_once_by_procedure_and_priority_and_an_addendum_moves_nothing()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var (_, released) = await Ordered("CXR-PA", "routine");
        await Perform(released);
        await Radiologist.Post($"/api/imaging/{released}/report", Report(critical: false, impression: "No acute findings."), 200);
        await SecondRadiologist.PostReviewed($"/api/imaging/{released}", "verify", 200);
        await Radiologist.PostReviewed($"/api/imaging/{released}", "release", 200);
        await SecondRadiologist.Post($"/api/imaging/{released}/addendum", Report(critical: false, impression: "On review: no change."), 200);
        await Ordered("CXR-PA", "routine"); // requested, not yet performed: in the count, in no stage
        await Ordered("CXR-PA", "stat");
        var to = DateTimeOffset.UtcNow.AddMinutes(1).ToString("O");

        await CaughtUp(); // the tallies are kept by the async daemon
        var rows = (await Radiologist.Get($"/api/imaging/tat?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", 200))
            .As<ImagingTurnaroundRow[]>();
        rows.Select(r => (r.ProcedureCode, r.Priority)).ShouldBe([("CXR-PA", OrderPriority.Stat), ("CXR-PA", OrderPriority.Routine)]);
        var routine = rows[1];
        (routine.RequestedToPerformed.Count, routine.PerformedToReported.Count, routine.RequestedToReleased.Count).ShouldBe((1, 1, 1));
        routine.RequestedToReleased.Median.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(0);
        rows[0].RequestedToPerformed.Count.ShouldBe(0);
    }

    [Fact]
    public async Task another_facility_sees_no_imaging_request_of_this_one()
    {
        var (encounter, request) = await Ordered();
        var elsewhere = As("radiographer", "rg-rose", "clinic-2");
        await elsewhere.Get($"/api/imaging/{request}", 404);
        await elsewhere.Post($"/api/imaging/{request}/perform", new { performedAt = Now, technique = "PA erect" }, 404);
        await As("radiologist", "rl-lee", "clinic-2").Post($"/api/imaging/{request}/report", Report(critical: false), 404);
        (await As("clinician", "dr-kofi", "clinic-2").Get($"/api/encounters/{encounter}/imaging", 200)).As<ImagingView[]>().ShouldBeEmpty();
        (await Worklist(elsewhere, "to-perform")).ShouldBeEmpty();
    }
}
