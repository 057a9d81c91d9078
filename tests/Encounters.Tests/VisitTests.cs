using Encounters.Encounters;
using Marten;
using Shouldly;

namespace Encounters.Tests;

/// <summary>The outpatient visit end to end, and each rule a clinic relies on.</summary>
[Collection(ApiCollection.Name)]
public partial class VisitTests(AppFixture app) : ClinicTest(app)
{

    private static readonly object NormalVitals = new
    {
        systolicBp = 122, diastolicBp = 78, pulse = 72, temperatureC = 36.8, respiratoryRate = 14, spO2 = 98,
        weightKg = 70, heightCm = 175, painScore = 2,
    };

    private static string Tomorrow => DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd");

    private async Task Document(Guid encounter, Caller? who = null)
    {
        var doctor = who ?? Doctor;
        await doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "Cough for 3 days, no fever." }, 200);
        await doctor.Post($"/api/encounters/{encounter}/documentation/objective", new { text = "Chest clear, throat red." }, 200);
        await doctor.Post($"/api/encounters/{encounter}/documentation/assessment",
            new { text = "Viral upper respiratory infection.", diagnoses = new[] { new { code = "J06.9", display = "Acute upper respiratory infection, unspecified" } } }, 200);
        await doctor.Post($"/api/encounters/{encounter}/documentation/plan",
            new { text = "Fluids, paracetamol, review if worse.", followUpDate = Tomorrow }, 200);
    }

    private Caller OtherDoctor => As("clinician", "dr-ama");

    /// <summary>The status an encounter command left the encounter in.</summary>
    private static EncounterStatus StatusAfter(Response answer) => answer.As<EncounterResponse>().Status;

    private async Task<long> EventCount(Guid stream)
    {
        await using var session = app.Store.LightweightSession(Tenant);
        return (await session.Events.FetchStreamAsync(stream)).Count;
    }

    [Fact]
    public async Task a_full_visit_from_plan_to_close()
    {
        var patient = await TestData.RegisterPatient(Reception);
        var encounter = (await Reception.Post("/api/encounters", new { patientId = patient, reason = "Cough" }, 201)).Id;
        StatusAfter(await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200)).ShouldBe(EncounterStatus.Arrived);
        StatusAfter(await Nurse.Post($"/api/encounters/{encounter}/vitals", NormalVitals, 200)).ShouldBe(EncounterStatus.Triaged);
        StatusAfter(await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200)).ShouldBe(EncounterStatus.InProgress);
        await Document(encounter);
        var closed = (await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "follow-up" }, 200)).As<EncounterResponse>();
        closed.Status.ShouldBe(EncounterStatus.Finished);
        closed.Version.ShouldBe(9);

        var read = await Doctor.Get($"/api/encounters/{encounter}", 200);
        read.ETag.ShouldBe("\"9\"");
        var view = read.As<EncounterView>();
        view.Status.ShouldBe(EncounterStatus.Finished);
        view.Disposition.ShouldBe(Disposition.FollowUp);
        view.AttendingClinician!.UserId.ShouldBe("dr-kofi");
        view.ClosedBy!.UserId.ShouldBe("dr-kofi");
        view.Vitals.Count.ShouldBe(1);
        view.Vitals[0].Bmi.ShouldBe(22.9m);
        view.Vitals[0].RecordedBy.Role.ShouldBe("nurse");
        view.Diagnoses[0].Code.ShouldBe("J06.9");
        view.FollowUpDate.ShouldBe(DateOnly.ParseExact(Tomorrow, "yyyy-MM-dd"));
        foreach (var section in new[] { "subjective", "objective", "assessment", "plan" })
            view.Documentation[section].VersionCount.ShouldBe(1);

        // The front desk's queue for today shows it, and so does the patient's history.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var queue = await Reception.Get($"/api/encounters?date={today}&status=finished", 200);
        queue.As<Page<EncounterSummary>>().Items.Select(i => i.Id).ShouldContain(encounter);
        var history = await Reception.Get($"/api/patients/{patient}/encounters", 200);
        history.As<Page<EncounterSummary>>().Items[0].Disposition.ShouldBe(Disposition.FollowUp);
    }

    /// <summary>The state machine, written out independently of the code's table.</summary>
    private static readonly Dictionary<string, string[]> LegalFrom = new()
    {
        ["check-in"] = ["planned"],
        ["vitals"] = ["arrived", "triaged", "in-progress"],
        ["start-consult"] = ["arrived", "triaged"],
        ["step-out"] = ["in-progress"],
        ["return"] = ["onleave"],
        ["close"] = ["in-progress"],
        ["cancel"] = ["planned", "arrived", "triaged"],
        ["no-show"] = ["planned"],
        ["entered-in-error"] = ["planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled"],
    };

    private static readonly string[] Statuses = ["planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled", "entered-in-error"];

    public static TheoryData<string, string> IllegalTransitions()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, legal) in LegalFrom)
            foreach (var from in Statuses.Except(legal))
                data.Add(from, command);
        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public async Task illegal_transitions_are_409_with_the_current_status_and_append_nothing(string from, string command)
    {
        var encounter = await Reach(from);
        var before = await EventCount(encounter);
        var (who, body) = command switch
        {
            "vitals" => (Nurse, NormalVitals),
            "close" => (Doctor, new { disposition = "discharged" }),
            "step-out" => (Doctor, new { reason = "to the lab" }),
            "start-consult" or "return" => (Doctor, null),
            "cancel" => (Reception, new { reason = "changed mind" }),
            "entered-in-error" => (Admin, new { reason = "duplicate" }),
            _ => (Reception, (object?)null),
        };

        var refused = await who.Post($"/api/encounters/{encounter}/{command}", body, 409);
        refused.Problem.Code.ShouldBe("encounter.invalid_transition");
        refused.Problem.CurrentStatus.ShouldBe(from);
        (await EventCount(encounter)).ShouldBe(before);
    }

    private async Task<Guid> Reach(string status)
    {
        var encounter = await TestData.PlanEncounter(Reception);
        if (status == "planned") return encounter;
        if (status == "cancelled")
        {
            await Reception.Post($"/api/encounters/{encounter}/no-show", null, 200);
            return encounter;
        }
        if (status == "entered-in-error")
        {
            await Admin.Post($"/api/encounters/{encounter}/entered-in-error", new { reason = "wrong patient" }, 200);
            return encounter;
        }
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        if (status == "arrived") return encounter;
        await Nurse.Post($"/api/encounters/{encounter}/vitals", NormalVitals, 200);
        if (status == "triaged") return encounter;
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        if (status == "in-progress") return encounter;
        if (status == "onleave")
        {
            await Nurse.Post($"/api/encounters/{encounter}/step-out", new { reason = "to the lab" }, 200);
            return encounter;
        }
        await Document(encounter);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "discharged" }, 200);
        return encounter;
    }

    [Fact]
    public async Task the_patient_can_step_out_and_return()
    {
        var encounter = await InConsult(NormalVitals);
        StatusAfter(await Nurse.Post($"/api/encounters/{encounter}/step-out", new { reason = "to the lab" }, 200)).ShouldBe(EncounterStatus.OnLeave);
        StatusAfter(await Doctor.Post($"/api/encounters/{encounter}/return", null, 200)).ShouldBe(EncounterStatus.InProgress);
    }

    [Fact]
    public async Task no_show_cancels_a_planned_encounter_with_reason_no_show()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        StatusAfter(await Reception.Post($"/api/encounters/{encounter}/no-show", null, 200)).ShouldBe(EncounterStatus.Cancelled);
        (await Reception.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().CancellationReason.ShouldBe("no-show");
    }

    [Fact]
    public async Task entered_in_error_needs_a_facility_admin_and_a_reason_and_is_terminal()
    {
        var encounter = await InConsult(NormalVitals);
        await Doctor.Post($"/api/encounters/{encounter}/entered-in-error", new { reason = "wrong patient" }, 403);
        await Admin.Post($"/api/encounters/{encounter}/entered-in-error", new { reason = "" }, 400);
        StatusAfter(await Admin.Post($"/api/encounters/{encounter}/entered-in-error", new { reason = "wrong patient" }, 200))
            .ShouldBe(EncounterStatus.EnteredInError);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "late" }, 409);
    }
}
