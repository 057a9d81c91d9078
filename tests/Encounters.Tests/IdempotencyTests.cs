using Marten;
using Encounters.Encounters;
using Encounters.Patients;
using Shouldly;

namespace Encounters.Tests;

[Collection(ApiCollection.Name)]
public class IdempotencyTests(AppFixture app)
{
    private readonly Caller _reception = Caller.As(app.Host, "receptionist", TestData.NewTenant(), "clinic-1");

    private async Task<int> EncountersPlanned()
    {
        await using var session = app.Store.QuerySession(_reception.Tenant);
        return await session.Events.QueryRawEventDataOnly<EncounterPlanned>().CountAsync();
    }

    [Fact]
    public async Task a_repeated_request_replays_the_first_response_and_appends_nothing()
    {
        var patient = await TestData.RegisterPatient(_reception);
        var body = new { patientId = patient, reason = "Follow-up" };
        var first = await _reception.Post("/api/encounters", body, 201, ("Idempotency-Key", "plan-1"));
        var again = await _reception.Post("/api/encounters", body, 201, ("Idempotency-Key", "plan-1"));

        again.Id.ShouldBe(first.Id);
        again.Json.ToJsonString().ShouldBe(first.Json.ToJsonString());
        again.Location.ShouldBe(first.Location);
        (await EncountersPlanned()).ShouldBe(1);
    }

    [Fact]
    public async Task the_same_key_with_another_body_is_422_key_reuse()
    {
        var patient = await TestData.RegisterPatient(_reception);
        await _reception.Post("/api/encounters", new { patientId = patient, reason = "Follow-up" }, 201, ("Idempotency-Key", "plan-2"));
        var refused = await _reception.Post("/api/encounters", new { patientId = patient, reason = "Something else" }, 422,
            ("Idempotency-Key", "plan-2"));
        refused.Problem.Code.ShouldBe("idempotency.key_reuse");
        (await EncountersPlanned()).ShouldBe(1);
    }

    [Fact]
    public async Task keys_belong_to_a_tenant()
    {
        var patient = await TestData.RegisterPatient(_reception);
        await _reception.Post("/api/encounters", new { patientId = patient, reason = "Follow-up" }, 201, ("Idempotency-Key", "shared-key"));

        var other = Caller.As(app.Host, "receptionist", TestData.NewTenant(), "clinic-1");
        var theirPatient = await TestData.RegisterPatient(other);
        var theirs = await other.Post("/api/encounters", new { patientId = theirPatient, reason = "Other" }, 201, ("Idempotency-Key", "shared-key"));
        theirs.As<EncounterResponse>().PatientId.ShouldBe(theirPatient);
    }

    [Fact]
    public async Task a_key_replayed_at_another_facility_is_a_new_request_and_leaks_nothing()
    {
        var atClinic1 = Caller.As(app.Host, "receptionist", _reception.Tenant, "clinic-1", sub: "rita", facilities: ["clinic-1", "clinic-2"]);
        var atClinic2 = atClinic1.In("clinic-2");
        var body = TestData.Patient("Same Body", mrn: null);

        var first = await atClinic1.Post("/api/patients", body, 201, ("Idempotency-Key", "K"));
        var second = await atClinic2.Post("/api/patients", body, 201, ("Idempotency-Key", "K"));

        second.Id.ShouldNotBe(first.Id);
        second.As<PatientResponse>().Mrn.ShouldNotBe(first.As<PatientResponse>().Mrn);
        await atClinic2.Get($"/api/patients/{second.Id}", 200);
        await atClinic2.Get($"/api/patients/{first.Id}", 404);
    }

    [Fact]
    public async Task a_key_belongs_to_its_user_and_its_route()
    {
        var colleague = Caller.As(app.Host, "receptionist", _reception.Tenant, "clinic-1", sub: "someone-else");
        var body = TestData.Patient("Key Owner", mrn: null);
        var mine = await _reception.Post("/api/patients", body, 201, ("Idempotency-Key", "mine"));
        var theirs = await colleague.Post("/api/patients", body, 201, ("Idempotency-Key", "mine"));
        theirs.Id.ShouldNotBe(mine.Id);

        // The same key on another command is that command's own request, not a 422 reuse.
        await _reception.Post("/api/encounters", new { patientId = mine.Id, reason = "Visit" }, 201, ("Idempotency-Key", "mine"));
    }

    [Fact]
    public async Task a_refused_command_does_not_burn_its_key()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        await _reception.Post($"/api/encounters/{encounter}/check-in", null, 412, ("Idempotency-Key", "ci-1"), ("If-Match", "\"9\""));
        await _reception.Post($"/api/encounters/{encounter}/check-in", null, 200, ("Idempotency-Key", "ci-1"), ("If-Match", "\"1\""));
    }

    [Fact]
    public async Task two_identical_requests_racing_append_one_event_and_get_the_same_answer()
    {
        var patient = await TestData.RegisterPatient(_reception);
        var body = new { patientId = patient, reason = "Racing" };

        for (var round = 0; round < 5; round++)
        {
            var key = $"race-{round}";
            var answers = await Task.WhenAll(
                _reception.Post("/api/encounters", body, 201, ("Idempotency-Key", key)),
                _reception.Post("/api/encounters", body, 201, ("Idempotency-Key", key)));
            answers[1].Id.ShouldBe(answers[0].Id);
        }

        (await EncountersPlanned()).ShouldBe(5);
    }

    [Fact]
    public async Task racing_check_ins_on_one_encounter_append_one_event()
    {
        var encounter = await TestData.PlanEncounter(_reception);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.Host.Scenario(s =>
        {
            s.Post.Url($"/api/encounters/{encounter}/check-in");
            s.WithRequestHeader("X-Tenant-ID", _reception.Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(Caller.Token("r", "receptionist", _reception.Tenant, ["clinic-1"]));
            s.IgnoreStatusCode();
        })));

        var statuses = results.Select(r => r.Context.Response.StatusCode).ToList();
        statuses.Count(s => s == 200).ShouldBe(1);
        statuses.Where(s => s != 200).ShouldAllBe(s => s == 409);

        await using var session = app.Store.LightweightSession(_reception.Tenant);
        (await session.Events.FetchStreamAsync(encounter)).Count.ShouldBe(2);
    }
}
