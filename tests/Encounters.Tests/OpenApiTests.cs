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

    /// <summary>
    /// Issue 17, an OpenAPI integrators can rely on: walking every operation's answers, each status, stage or state field a
    /// client reads is an enum (from the C# enum or vocabulary behind it, ApiValues.cs), and each operation is described by its
    /// XML doc comment.
    /// </summary>
    [Fact]
    public async Task every_status_field_of_every_answer_is_an_enum_and_every_operation_has_its_xml_doc()
    {
        var doc = JsonNode.Parse(await (await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsTextAsync())!;
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var problems = new SortedSet<string>();
        var seen = new HashSet<string>();

        JsonNode Resolve(JsonNode node) => node["$ref"] is { } reference ? schemas[reference.ToString().Split('/')[^1]]! : node;

        void Walk(JsonNode? node, string where)
        {
            if (node is not JsonObject) return;
            if (node["$ref"] is { } reference && !seen.Add(reference.ToString())) return;
            var schema = Resolve(node);
            foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
            {
                var type = Resolve(property!);
                var types = type["type"] is JsonArray many ? many.Select(t => t!.ToString()).ToList() : [type["type"]?.ToString() ?? ""];
                var lower = name.ToLowerInvariant();
                var isStatus = lower is "status" or "stage" or "state" || lower.EndsWith("status") || lower.EndsWith("stage") || lower.EndsWith("state");
                if (isStatus && types.Contains("string") && type["enum"] is null) problems.Add($"{where}: {name} is a string without an enum");
                Walk(property, $"{where}.{name}");
            }
            foreach (var key in new[] { "items", "additionalProperties" }) Walk(schema[key], where);
            foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
                foreach (var part in schema[key]?.AsArray() ?? []) Walk(part, where);
        }

        foreach (var (path, item) in doc["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api")))
        foreach (var (method, operation) in item!.AsObject())
        {
            if (string.IsNullOrWhiteSpace(operation!["description"]?.ToString())) problems.Add($"{method} {path}: no description from its XML doc");
            foreach (var (_, answer) in operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')))
            foreach (var (_, media) in answer!["content"]?.AsObject() ?? [])
                Walk(media!["schema"], $"{method} {path}");
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task the_scalar_reference_and_health_endpoints_are_served()
    {
        await app.Host.Scenario(s => { s.Get.Url("/scalar/"); s.StatusCodeShouldBe(200); s.ContentTypeShouldBe("text/html"); });
        await app.Host.Scenario(s => { s.Get.Url("/health/live"); s.StatusCodeShouldBe(200); });
        await app.Host.Scenario(s => { s.Get.Url("/health/ready"); s.StatusCodeShouldBe(200); });
    }
}
