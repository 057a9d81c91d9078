using Encounters.Encounters;
using Encounters.Patients;
using Alba;
using Shouldly;

namespace Encounters.Tests;

[Collection(ApiCollection.Name)]
public class ScopeAndSecurityTests(AppFixture app)
{
    private readonly string _tenant = TestData.NewTenant();

    [Theory]
    [InlineData(null, "clinic-1", "X-Tenant-ID")]
    [InlineData("acme", null, "X-Facility-ID")]
    [InlineData("ACME", "clinic-1", "X-Tenant-ID")]
    [InlineData("acme", "clinic_1", "X-Facility-ID")]
    [InlineData("acme", "this-facility-id-is-far-too-long-to-be-accepted-by-the-api-0123456789", "X-Facility-ID")]
    public async Task missing_or_malformed_scope_headers_are_400_with_the_header_named(string? tenant, string? facility, string field)
    {
        var token = Caller.Token("u1", "receptionist", "acme", ["clinic-1"]);
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/patients");
            s.WithBearerToken(token);
            if (tenant is not null) s.WithRequestHeader("X-Tenant-ID", tenant);
            if (facility is not null) s.WithRequestHeader("X-Facility-ID", facility);
            s.StatusCodeShouldBe(400);
            s.ContentTypeShouldBe("application/problem+json");
        });
        var problem = new Response(result).Problem;
        problem.Status.ShouldBe(400);
        problem.Errors!.ShouldContainKey(field);
    }

    [Fact]
    public async Task no_token_is_401_problem()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/patients");
            s.WithRequestHeader("X-Tenant-ID", _tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.StatusCodeShouldBe(401);
            s.ContentTypeShouldBe("application/problem+json");
        });
        new Response(result).Problem.Code.ShouldBe("auth.unauthenticated");
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_401()
    {
        var forged = global::Encounters.Security.DevTokens.Issue("not-the-service-key-not-the-service-key-0123", "u1", "Mallory",
            ["facility_admin"], _tenant, ["clinic-1"], TimeSpan.FromMinutes(5));
        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/patients");
            s.WithRequestHeader("X-Tenant-ID", _tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(forged);
            s.StatusCodeShouldBe(401);
        });
    }

    [Fact]
    public async Task a_token_for_another_tenant_is_403()
    {
        var token = Caller.Token("u1", "receptionist", "other-tenant", ["clinic-1"]);
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/patients");
            s.WithRequestHeader("X-Tenant-ID", _tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(token);
            s.StatusCodeShouldBe(403);
        });
        new Response(result).Problem.Code.ShouldBe("scope.forbidden");
    }

    [Fact]
    public async Task a_token_without_the_facility_is_403()
    {
        var caller = Caller.As(app.Host, "receptionist", _tenant, "clinic-2", facilities: ["clinic-1"]);
        await caller.Get("/api/patients", 403);
    }

    [Fact]
    public async Task a_role_without_the_permission_is_403_problem()
    {
        var lab = Caller.As(app.Host, "lab_technician", _tenant, "clinic-1");
        var response = await lab.Post("/api/patients", TestData.Patient(), 403);
        response.ContentType.ShouldStartWith("application/problem+json");

        var auditor = Caller.As(app.Host, "auditor", _tenant, "clinic-1");
        await auditor.Post("/api/patients", TestData.Patient(), 403);
    }

    [Fact]
    public async Task another_tenants_patient_and_encounter_are_404()
    {
        var mine = Caller.As(app.Host, "receptionist", _tenant, "clinic-1");
        var patient = await TestData.RegisterPatient(mine);
        var encounter = await TestData.PlanEncounter(mine, patient);

        // Same facility name, same role, different tenant: the records do not exist there.
        var theirs = Caller.As(app.Host, "receptionist", TestData.NewTenant(), "clinic-1");
        await theirs.Get($"/api/patients/{patient}", 404);
        await theirs.Get($"/api/encounters/{encounter}", 404);
        await theirs.Post($"/api/encounters/{encounter}/check-in", null, 404);
        (await theirs.Get("/api/patients?q=Amina", 200)).As<Page<PatientResponse>>().Total.ShouldBe(0);
    }

    [Fact]
    public async Task another_facilitys_patient_and_encounter_are_404_even_for_a_user_of_both()
    {
        var atClinic1 = Caller.As(app.Host, "receptionist", _tenant, "clinic-1", facilities: ["clinic-1", "clinic-2"]);
        var patient = await TestData.RegisterPatient(atClinic1);
        var encounter = await TestData.PlanEncounter(atClinic1, patient);

        var atClinic2 = atClinic1.In("clinic-2");
        await atClinic2.Get($"/api/patients/{patient}", 404);
        await atClinic2.Get($"/api/encounters/{encounter}", 404);
        var refused = await atClinic2.Post($"/api/encounters/{encounter}/check-in", null, 404);
        refused.ContentType.ShouldStartWith("application/problem+json");
        await atClinic2.Post("/api/encounters", new { patientId = patient, reason = "Checkup" }, 400);
        (await atClinic2.Get("/api/patients?q=Amina", 200)).As<Page<PatientResponse>>().Total.ShouldBe(0);

        // Still there, untouched, in its own facility.
        (await atClinic1.Get($"/api/encounters/{encounter}", 200)).As<EncounterView>().Status.ShouldBe(EncounterStatus.Planned);
    }

    [Fact]
    public async Task dev_token_route_issues_a_working_token_in_development()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { sub = "u-dev", name = "Dev User", roles = new[] { "receptionist" }, tenant = _tenant, facilities = new[] { "clinic-1" } })
                .ToUrl("/dev/token");
            s.StatusCodeShouldBe(200);
        });
        var body = new Response(result).Json;
        body["token_type"]!.ToString().ShouldBe("Bearer");
        body["expires_in"]!.GetValue<int>().ShouldBe(3600);

        await app.Host.Scenario(s =>
        {
            s.Get.Url("/api/patients");
            s.WithRequestHeader("X-Tenant-ID", _tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(body["access_token"]!.ToString());
            s.StatusCodeShouldBe(200);
        });
    }

    [Fact]
    public async Task dev_token_route_rejects_unknown_roles()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { sub = "u", roles = new[] { "superuser" }, tenant = _tenant, facilities = new[] { "clinic-1" } }).ToUrl("/dev/token");
            s.StatusCodeShouldBe(400);
        });
        new Response(result).Problem.Errors!.ShouldContainKey("roles");
    }
}

/// <summary>
/// Outside Development the token route is not there at all. In the API collection so that it starts
/// after the shared host has migrated the schema, not racing it.
/// </summary>
[Collection(ApiCollection.Name)]
public class ProductionHostTests
{
    [Fact]
    public async Task dev_token_route_does_not_exist_outside_development()
    {
        await using var host = await AppFixture.StartAsync("Production", runsAgents: false);
        await host.Scenario(s =>
        {
            s.Post.Json(new { sub = "u", roles = new[] { "receptionist" }, tenant = "acme", facilities = new[] { "clinic-1" } }).ToUrl("/dev/token");
            s.StatusCodeShouldBe(404);
        });
        // ...while the API itself is served.
        await host.Scenario(s =>
        {
            s.Get.Url("/health/live");
            s.StatusCodeShouldBe(200);
        });
    }
}
