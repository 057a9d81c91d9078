using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Timeline;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Any write to a closed encounter needs a reason and is flagged after close in the view, the timeline and the audit.</summary>
[Collection(ApiCollection.Name)]
public class PostCloseTests(AppFixture app) : ClinicTest(app)
{
    [Fact]
    public async Task a_section_first_written_after_close_needs_a_reason_and_is_flagged_everywhere()
    {
        var encounter = await Settled(async () =>
        {
            var encounter = await InConsult();
            await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 70 }, 200);
            await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "Viral URTI." }, 200);
            await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Fluids." }, 200);
            await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);

            var refused = await Doctor.Post($"/api/encounters/{encounter}/documentation/objective", new { text = "Chest clear." }, 400);
            refused.Problem.Errors!.ShouldContainKey("reason");
            await Doctor.Post($"/api/encounters/{encounter}/documentation/objective",
                new { text = "Chest clear.", reason = "Examination dictated after the visit" }, 200);
            return encounter;
        });

        var version = (await Doctor.Get($"/api/encounters/{encounter}/documentation/objective/versions", 200)).As<NoteVersion[]>()[0];
        version.AfterClose.ShouldBeTrue();
        version.Reason.ShouldBe("Examination dictated after the visit");

        // Settled again: the reads are audited too.
        var timeline = (await Settled(() => Doctor.Get($"/api/encounters/{encounter}/timeline?kind=note", 200))).As<Page<TimelineEntry>>().Items;
        timeline.Count.ShouldBe(3);
        timeline[2].Summary.ShouldContain("after close: Examination dictated after the visit");

        await AuditTrailHolds(9);
        var entries = (await Auditor.Get("/api/audit?action=clinical_note_recorded", 200)).As<Page<AuditEntry>>().Items;
        entries.Count(e => e.AfterClose).ShouldBe(1);
        entries.Count.ShouldBe(3);
    }
}
