using Encounters.Encounters;
using Marten;
using Shouldly;

namespace Encounters.Tests;

[Collection(ApiCollection.Name)]
public class EncounterTests(AppFixture app)
{
    private readonly Caller _reception = Caller.As(app.Host, "receptionist", TestData.NewTenant(), "clinic-1", sub: "rita");

    private async Task<long> EventCount(Guid stream)
    {
        await using var session = app.Store.LightweightSession(_reception.Tenant);
        return (await session.Events.FetchStreamAsync(stream)).Count;
    }

    [Fact]
    public async Task plan_then_check_in_then_read_back()
    {
        var patient = await TestData.RegisterPatient(_reception);
        var planned = await _reception.Post("/api/encounters",
            new { patientId = patient, reason = "Fever and cough", scheduledAt = "2026-11-24T09:30:00Z" }, 201);
        planned.As<EncounterResponse>().Status.ShouldBe(EncounterStatus.Planned);
        planned.As<EncounterResponse>().Version.ShouldBe(1);
        planned.ETag.ShouldBe("\"1\"");
        planned.Location.ShouldBe($"/api/encounters/{planned.Id}");

        var arrived = await _reception.Post($"/api/encounters/{planned.Id}/check-in", null, 200);
        arrived.As<EncounterResponse>().Status.ShouldBe(EncounterStatus.Arrived);
        arrived.As<EncounterResponse>().Version.ShouldBe(2);
        arrived.ETag.ShouldBe("\"2\"");

        var read = await _reception.Get(planned.Location!, 200);
        var view = read.As<EncounterView>();
        view.Status.ShouldBe(EncounterStatus.Arrived);
        view.Reason.ShouldBe("Fever and cough");
        view.PatientId.ShouldBe(patient);
        view.ArrivedAt.ShouldNotBeNull();
        read.ETag.ShouldBe("\"2\"");
    }

    [Fact]
    public async Task checking_in_twice_is_409_invalid_transition_and_appends_nothing()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        await _reception.Post($"/api/encounters/{encounter}/check-in", null, 200);

        var refused = await _reception.Post($"/api/encounters/{encounter}/check-in", null, 409);
        refused.ContentType.ShouldStartWith("application/problem+json");
        refused.Problem.Code.ShouldBe("encounter.invalid_transition");
        refused.Problem.CurrentStatus.ShouldBe("arrived");
        (await EventCount(encounter)).ShouldBe(2);
    }

    [Fact]
    public async Task checking_in_a_cancelled_encounter_is_409_and_appends_nothing()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        var cancelled = await _reception.Post($"/api/encounters/{encounter}/cancel", new { reason = "Patient called to cancel" }, 200);
        cancelled.As<EncounterResponse>().Status.ShouldBe(EncounterStatus.Cancelled);

        var refused = await _reception.Post($"/api/encounters/{encounter}/check-in", null, 409);
        refused.Problem.CurrentStatus.ShouldBe("cancelled");
        (await EventCount(encounter)).ShouldBe(2);
        (await _reception.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().CancellationReason.ShouldBe("Patient called to cancel");
    }

    [Fact]
    public async Task cancelling_needs_a_reason()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        var refused = await _reception.Post($"/api/encounters/{encounter}/cancel", new { reason = "" }, 400);
        refused.Problem.Errors!.ShouldContainKey("reason");
        (await EventCount(encounter)).ShouldBe(1);
    }

    [Fact]
    public async Task planning_needs_a_patient_of_this_facility_and_a_reason()
    {
        var refused = await _reception.Post("/api/encounters", new { patientId = Guid.NewGuid(), reason = "" }, 400);
        refused.Problem.Errors!.ShouldContainKey("patientId");
        refused.Problem.Errors!.ShouldContainKey("reason");
    }

    [Fact]
    public async Task an_unknown_encounter_is_404()
    {
        await _reception.Get($"/api/encounters/{Guid.NewGuid()}", 404);
        await _reception.Post($"/api/encounters/{Guid.NewGuid()}/check-in", null, 404);
    }

    [Fact]
    public async Task a_stale_if_match_is_412_and_a_current_one_succeeds()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        var stale = await _reception.Post($"/api/encounters/{encounter}/check-in", null, 412, ("If-Match", "\"7\""));
        stale.Problem.Code.ShouldBe("concurrency.precondition_failed");
        (await EventCount(encounter)).ShouldBe(1);

        await _reception.Post($"/api/encounters/{encounter}/check-in", null, 200, ("If-Match", "\"1\""));
    }

    [Fact]
    public async Task roles_are_enforced_per_command()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        var clinician = Caller.As(app.Host, "clinician", _reception.Tenant, "clinic-1");
        await clinician.Post($"/api/encounters/{encounter}/check-in", null, 403);
        var lab = Caller.As(app.Host, "lab_technician", _reception.Tenant, "clinic-1");
        await lab.Post("/api/encounters", new { patientId = Guid.NewGuid(), reason = "x" }, 403);
        (await EventCount(encounter)).ShouldBe(1);

        var nurse = Caller.As(app.Host, "nurse", _reception.Tenant, "clinic-1");
        await nurse.Post($"/api/encounters/{encounter}/check-in", null, 200);
    }

    [Fact]
    public async Task every_event_carries_who_where_and_which_trace()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        await _reception.Post($"/api/encounters/{encounter}/check-in", null, 200);

        await using var session = app.Store.LightweightSession(_reception.Tenant);
        var events = await session.Events.FetchStreamAsync(encounter);
        events.Count.ShouldBe(2);
        foreach (var e in events)
        {
            e.TenantId.ShouldBe(_reception.Tenant);
            e.UserName.ShouldBe("rita");
            e.CorrelationId.ShouldNotBeNullOrEmpty();
            e.CausationId.ShouldNotBeNullOrEmpty();
            e.Headers!["userId"].ToString().ShouldBe("rita");
            e.Headers["role"].ToString().ShouldBe("receptionist");
            e.Headers["facilityId"].ToString().ShouldBe("clinic-1");
            e.Headers["tenantId"].ToString().ShouldBe(_reception.Tenant);
        }
    }
}
