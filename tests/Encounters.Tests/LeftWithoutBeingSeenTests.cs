using Encounters.Encounters;
using Encounters.Timeline;
using Shouldly;

namespace Encounters.Tests;

/// <summary>A patient who leaves the waiting room before a clinician sees them (the command added by docs/ARCHITECTURE.md's recipe).</summary>
public class LeftWithoutBeingSeenTests(AppFixture app) : ClinicTest(app)
{
    [Fact]
    public async Task a_triaged_patient_who_leaves_unseen_ends_the_visit_as_cancelled_on_the_queue_and_the_timeline()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 70 }, 200);

        var left = await Reception.Post($"/api/encounters/{encounter}/left-without-being-seen", new { note = "Did not answer when called twice" }, 200);
        left.As<EncounterResponse>().Status.ShouldBe(EncounterStatus.Cancelled);

        (await Doctor.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().Status.ShouldBe(EncounterStatus.Cancelled);
        var refused = await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 409);
        refused.Problem.Code.ShouldBe("encounter.invalid_transition");

        await CaughtUp();
        var timeline = (await Doctor.Get($"/api/encounters/{encounter}/timeline?kind=encounter.left-without-being-seen", 200))
            .As<Page<TimelineEntry>>();
        timeline.Items.Single().Summary.ShouldBe("Patient left without being seen: Did not answer when called twice");
        timeline.Items.Single().Actor.UserId.ShouldBe("rita");
    }

    [Fact]
    public async Task a_patient_already_in_consult_cannot_have_left_unseen()
    {
        var encounter = await InConsult();
        var refused = await Reception.Post($"/api/encounters/{encounter}/left-without-being-seen", new { }, 409);
        refused.Problem.Code.ShouldBe("encounter.invalid_transition");
    }
}
