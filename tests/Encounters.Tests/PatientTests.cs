using Encounters.Patients;
using Shouldly;

namespace Encounters.Tests;

[Collection(ApiCollection.Name)]
public class PatientTests(AppFixture app)
{
    private readonly Caller _reception = Caller.As(app.Host, "receptionist", TestData.NewTenant(), "clinic-1");

    private static Page<PatientResponse> Found(Response search) => search.As<Page<PatientResponse>>();

    [Fact]
    public async Task registering_a_patient_answers_201_with_location_etag_and_a_generated_mrn()
    {
        var created = await _reception.Post("/api/patients", TestData.Patient(), 201);

        created.Location.ShouldBe($"/api/patients/{created.Id}");
        created.ETag.ShouldBe("\"1\"");
        var registered = created.As<PatientResponse>();
        registered.Mrn.ShouldMatch("^MRN-[0-9]{6}$");
        registered.FullName.ShouldBe("Amina Okafor");
        registered.Sex.ShouldBe(AdministrativeSex.Female);
        registered.Version.ShouldBe(1);

        var read = await _reception.Get(created.Location!, 200);
        read.As<PatientResponse>().Mrn.ShouldBe(registered.Mrn);
        read.As<PatientResponse>().DateOfBirth.ShouldBe(new DateOnly(1987, 4, 12));
        read.ETag.ShouldBe("\"1\"");
    }

    [Fact]
    public async Task generated_mrns_are_distinct_within_a_tenant()
    {
        var first = await _reception.Post("/api/patients", TestData.Patient("Ada One"), 201);
        var second = await _reception.Post("/api/patients", TestData.Patient("Ben Two"), 201);
        first.As<PatientResponse>().Mrn.ShouldBe("MRN-000001");
        second.As<PatientResponse>().Mrn.ShouldBe("MRN-000002");
    }

    [Fact]
    public async Task a_duplicate_mrn_in_the_tenant_is_409_and_nothing_is_written()
    {
        await _reception.Post("/api/patients", TestData.Patient("Ada One", mrn: "H-1001"), 201);
        var refused = await _reception.Post("/api/patients", TestData.Patient("Someone Else", mrn: "H-1001"), 409);
        refused.Problem.Code.ShouldBe("conflict.duplicate");

        var search = await _reception.Get("/api/patients?q=Someone", 200);
        Found(search).Total.ShouldBe(0);

        // Another tenant may use the same MRN.
        var elsewhere = Caller.As(app.Host, "receptionist", TestData.NewTenant(), "clinic-1");
        await elsewhere.Post("/api/patients", TestData.Patient("Ada One", mrn: "H-1001"), 201);
    }

    [Fact]
    public async Task invalid_registrations_are_400_with_per_field_errors()
    {
        var refused = await _reception.Post("/api/patients",
            new { fullName = " ", dateOfBirth = "2999-01-01", phone = "call me", mrn = "bad mrn!" }, 400);
        refused.ContentType.ShouldStartWith("application/problem+json");
        refused.Problem.Code.ShouldBe("validation");
        var errors = refused.Problem.Errors!;
        foreach (var field in new[] { "fullName", "dateOfBirth", "sex", "phone", "mrn" }) errors.ShouldContainKey(field);

        Found(await _reception.Get("/api/patients", 200)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task malformed_json_and_wrong_types_are_400_problems_not_500s()
    {
        var wrongType = await _reception.Post("/api/patients",
            new { fullName = "Ada", dateOfBirth = "1990-01-01", sex = "robot" }, 400);
        wrongType.Problem.Errors!.ShouldContainKey("sex");

        var result = await app.Host.Scenario(s =>
        {
            s.Post.Text("{\"fullName\": ").ToUrl("/api/patients");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader("X-Tenant-ID", _reception.Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(Caller.Token("r", "receptionist", _reception.Tenant, ["clinic-1"]));
            s.StatusCodeShouldBe(400);
        });
        new Response(result).ContentType.ShouldStartWith("application/problem+json");
    }

    [Fact]
    public async Task patients_are_found_by_name_fragment_or_exact_mrn_and_paged()
    {
        await _reception.Post("/api/patients", TestData.Patient("Amina Okafor", mrn: "H-7"), 201);
        await _reception.Post("/api/patients", TestData.Patient("Aminu Bello"), 201);
        await _reception.Post("/api/patients", TestData.Patient("Chidi Eze"), 201);

        var byName = await _reception.Get("/api/patients?q=amin", 200);
        Found(byName).Total.ShouldBe(2);

        var byMrn = await _reception.Get("/api/patients?q=H-7", 200);
        Found(byMrn).Items.Single().FullName.ShouldBe("Amina Okafor");

        var firstPage = Found(await _reception.Get("/api/patients?pageSize=2&page=1&count=true", 200));
        firstPage.Items.Count.ShouldBe(2);
        firstPage.Total.ShouldBe(3);
        var secondPage = Found(await _reception.Get("/api/patients?pageSize=2&page=2", 200));
        secondPage.Items.Count.ShouldBe(1);

        await _reception.Get("/api/patients?pageSize=501", 400);
        var unparseable = await _reception.Get("/api/patients?pageSize=abc", 400);
        unparseable.ContentType.ShouldStartWith("application/problem+json");
    }

    [Fact]
    public async Task an_unknown_patient_is_404_problem()
    {
        var missing = await _reception.Get($"/api/patients/{Guid.NewGuid()}", 404);
        missing.ContentType.ShouldStartWith("application/problem+json");
        missing.Problem.Status.ShouldBe(404);
    }
}
