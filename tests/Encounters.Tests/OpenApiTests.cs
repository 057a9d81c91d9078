using Alba;
using System.Text.Json.Nodes;
using Shouldly;

namespace Encounters.Tests;

[Collection(ApiCollection.Name)]
public class OpenApiTests(AppFixture app)
{
    [Fact]
    public async Task the_openapi_document_lists_the_routes_with_bearer_auth_and_scope_headers()
    {
        var result = await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        var doc = JsonNode.Parse(await result.ReadAsTextAsync())!;
        var paths = doc["paths"]!.AsObject();
        foreach (var route in new[] { "/api/patients", "/api/patients/{id}", "/api/encounters", "/api/encounters/{id}", "/api/encounters/{id}/check-in" })
            paths.ContainsKey(route).ShouldBeTrue($"{route} is missing from the OpenAPI document");

        doc["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.ToString().ShouldBe("bearer");
        var parameters = paths["/api/encounters/{id}/check-in"]!["post"]!["parameters"]!.AsArray()
            .Select(p => Hostile.ApiDescription.Declared(doc, p!)["name"]!.ToString()).ToList();
        parameters.ShouldContain("X-Tenant-ID");
        parameters.ShouldContain("X-Facility-ID");
        parameters.ShouldContain("Idempotency-Key");
        paths.ContainsKey("/dev/token").ShouldBeFalse();
    }

    [Fact]
    public async Task the_scalar_reference_and_health_endpoints_are_served()
    {
        await app.Host.Scenario(s => { s.Get.Url("/scalar/"); s.StatusCodeShouldBe(200); s.ContentTypeShouldBe("text/html"); });
        await app.Host.Scenario(s => { s.Get.Url("/health/live"); s.StatusCodeShouldBe(200); });
        await app.Host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBe(200); });
    }
}
