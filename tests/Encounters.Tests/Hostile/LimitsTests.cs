using System.Text.Json.Nodes;
using Alba;
using Shouldly;

namespace Encounters.Tests.Hostile;

/// <summary>The refusals issue 11 reported as 500s, each with the status, code and field it must have now.</summary>
public class LimitsTests(AppFixture app) : ClinicTest(app)
{
    private async Task<JsonNode> Send(string method, string url, string? body, int expect, params (string Name, string Value)[] headers)
    {
        // Every role, so that each refusal below is about the input, never about permissions.
        var token = global::Encounters.Security.DevTokens.Issue(AppFixture.SigningKey, "dr-kofi", "Dr Kofi", global::Encounters.Security.Roles.All, Tenant,
            ["clinic-1"], TimeSpan.FromMinutes(30));
        var result = await App.Host.Scenario(s =>
        {
            var send = method == "GET" ? s.Get : s.Post;
            if (body is null) send.Url(url);
            else send.Text(body).ToUrl(url).ContentType("application/json");
            s.WithRequestHeader("X-Tenant-ID", Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(token);
            foreach (var (name, value) in headers) s.WithRequestHeader(name, value);
            s.StatusCodeShouldBe(expect);
        });
        result.Context.Response.ContentType.ShouldBe("application/problem+json");
        return JsonNode.Parse(await result.ReadAsTextAsync())!;
    }

    [Fact]
    public async Task a_json_null_body_is_a_400_on_the_body()
    {
        var encounter = await TestData.PlanEncounter(Reception);
        (await Send("POST", $"/api/encounters/{encounter}/cancel", "null", 400))["errors"]!["body"].ShouldNotBeNull();
        (await Send("POST", "/api/lab/samples", " null ", 400))["errors"]!["body"].ShouldNotBeNull();
    }

    [Fact]
    public async Task an_all_zero_id_in_the_path_is_a_404_and_in_the_body_a_400()
    {
        (await Send("POST", "/api/encounters/00000000000000000000000000000000/check-in", null, 404))["code"]!.ToString().ShouldBe("not_found");
        (await Send("POST", "/api/lab/samples", "{}", 400))["errors"]!["orderId"].ShouldNotBeNull();
    }

    [Fact]
    public async Task pages_beyond_the_limit_and_whole_calendar_windows_are_400()
    {
        (await Send("GET", "/api/patients?page=2147483647", null, 400))["errors"]!["page"].ShouldNotBeNull();
        (await Send("GET", "/api/lab/catalog?pageSize=501", null, 400))["errors"]!["pageSize"].ShouldNotBeNull();
        (await Send("GET", "/api/lab/tat?from=0001-01-01&to=9999-12-31", null, 400))["errors"]!["to"].ShouldNotBeNull();
    }

    [Fact]
    public async Task nul_and_control_characters_and_huge_numbers_are_400_naming_the_field()
    {
        var patient = """{"fullName":"A\u0000B","dateOfBirth":"1987-04-12","sex":"female"}""";
        (await Send("POST", "/api/patients", patient, 400))["errors"]!["fullName"].ShouldNotBeNull();
        (await Send("GET", "/api/patients?q=%00", null, 400))["errors"]!["q"].ShouldNotBeNull();
        (await Send("POST", "/api/encounters/" + Guid.NewGuid() + "/vitals", """{"pulse":1e999999}""", 400))["errors"]!["pulse"].ShouldNotBeNull();
    }

    [Fact]
    public async Task an_mrn_with_a_trailing_newline_and_a_comma_list_section_are_refused()
    {
        var patient = """{"fullName":"Amina","dateOfBirth":"1987-04-12","sex":"female","mrn":"ABC-1\n"}""";
        (await Send("POST", "/api/patients", patient, 400))["errors"]!["mrn"].ShouldNotBeNull();
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        (await Send("POST", $"/api/encounters/{encounter}/documentation/objective,assessment", """{"text":"x"}""", 400))["errors"]!["section"]
            .ShouldNotBeNull();
    }

    [Fact]
    public async Task oversized_bodies_strings_arrays_and_odd_idempotency_keys_are_refused()
    {
        (await Send("POST", "/api/patients", $"{{\"fullName\":\"{new string('x', 2_000_000)}\"}}", 413))["code"]!.ToString()
            .ShouldBe("request.too_large");
        (await Send("POST", "/api/patients", $"{{\"fullName\":\"{new string('x', 20_001)}\"}}", 400))["errors"]!["fullName"].ShouldNotBeNull();
        var items = string.Join(",", Enumerable.Repeat("{\"serviceCode\":\"GLU\"}", 101));
        (await Send("POST", "/api/orders", $"{{\"items\":[{items}]}}", 400))["errors"]!.ToJsonString().ShouldContain("items");
        (await Send("POST", "/api/patients", TestDataJson, 400, ("Idempotency-Key", new string('k', 10_240))))["errors"]!["Idempotency-Key"]
            .ShouldNotBeNull();
        (await Send("POST", "/api/patients", TestDataJson, 400, ("Idempotency-Key", "a\u0001b")))["errors"]!["Idempotency-Key"].ShouldNotBeNull();
    }

    [Fact]
    public async Task a_catalog_entry_with_a_duplicate_analyte_code_is_refused()
    {
        var analyte = new { code = "2276-4", name = "Ferritin", unit = "ng/mL", referenceRanges = Array.Empty<object>() };
        var test = new { code = "FERR2", loinc = "2276-4", name = "Ferritin", specimen = new { type = "serum", container = "gold top" },
            analytes = new[] { analyte, analyte } };
        (await TenantAdmin.Post("/api/lab/catalog", test, 400)).Json["errors"]!["analytes"].ShouldNotBeNull();
    }

    private const string TestDataJson = """{"fullName":"Amina","dateOfBirth":"1987-04-12","sex":"female"}""";
}
