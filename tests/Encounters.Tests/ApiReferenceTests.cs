using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using Shouldly;

namespace Encounters.Tests;

/// <summary>The API reference reads like documentation: every operation has a module tag, a summary and a human id.</summary>
[Collection(ApiCollection.Name)]
public partial class ApiReferenceTests(AppFixture app)
{
    private static readonly string[] Modules =
        ["Patients", "Scheduling", "Encounters", "Orders/Lab", "Imaging", "Medications", "Tasks", "Timeline", "Billing", "Audit", "Admin", "FHIR"];

    [GeneratedRegex(@"\A[a-z][a-zA-Z0-9]+\z")]
    private static partial Regex HumanId();

    [Fact]
    public async Task every_operation_has_a_module_tag_a_summary_a_human_id_and_its_problem_responses()
    {
        var document = JsonNode.Parse((await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText())!;
        var problems = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api") || p.Key.StartsWith("/fhir")))
        foreach (var (method, operation) in item!.AsObject().Where(m => m.Key is "get" or "post" or "put"))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            var tags = operation!["tags"]?.AsArray().Select(t => t!.ToString()).ToList() ?? [];
            if (tags.Count != 1 || !Modules.Contains(tags[0])) problems.Add($"{name}: tag {string.Join(",", tags)}");
            if (string.IsNullOrWhiteSpace(operation["summary"]?.ToString())) problems.Add($"{name}: no summary");
            if (!HumanId().IsMatch(operation["operationId"]?.ToString() ?? "")) problems.Add($"{name}: operation id {operation["operationId"]}");
            foreach (var status in new[] { "400", "401", "403" })
                if (operation["responses"]?[status] is null) problems.Add($"{name}: {status} not declared");
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task every_command_has_an_example_request_and_response_and_every_header_is_a_shared_component()
    {
        var document = JsonNode.Parse((await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText())!;
        var shared = document["components"]?["parameters"]?.AsObject() ?? [];
        var problems = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api") || p.Key.StartsWith("/fhir")))
        foreach (var (method, operation) in item!.AsObject().Where(m => m.Key is "get" or "post" or "put"))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            foreach (var parameter in operation!["parameters"]?.AsArray() ?? [])
            {
                var reference = parameter!["$ref"]?.ToString();
                if (reference is null && parameter["in"]?.ToString() == "header") problems.Add($"{name}: header {parameter["name"]} declared inline");
                if (reference is not null && !shared.ContainsKey(reference.Split('/')[^1])) problems.Add($"{name}: {reference} not in components");
            }

            var headers = (operation["parameters"]?.AsArray() ?? []).Select(p => Hostile.ApiDescription.Declared(document, p!))
                .Where(p => p["in"]?.ToString() == "header").Select(p => p["name"]!.ToString()).ToList();
            foreach (var header in new[] { "X-Tenant-ID", "X-Facility-ID" }.Concat(method == "post" ? ["Idempotency-Key"] : []))
                if (!headers.Contains(header)) problems.Add($"{name}: no {header}");

            foreach (var (status, answer) in operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')))
                // problem+json on /api, an OperationOutcome (application/fhir+json) on /fhir: either names its codes.
                if ((answer?["content"]?["application/problem+json"] ?? answer?["content"]?["application/fhir+json"])?["schema"]?["properties"]?["code"]?["enum"]?.AsArray().Count is not > 0)
                    problems.Add($"{name}: {status} names no code");

            if (method == "get") continue;
            if (operation["requestBody"]?["content"]?["application/json"] is { } body && body["example"] is null)
                problems.Add($"{name}: no example request");
            var success = operation["responses"]!.AsObject().FirstOrDefault(r => r.Key.StartsWith('2')).Value;
            if (success?["content"]?["application/json"] is { } response && response["example"] is null)
                problems.Add($"{name}: no example response");
        }

        problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/api/lab/results/{id}/release", "lab.not_verified")]
    [InlineData("/api/orders", "order.encounter_not_active")]
    [InlineData("/api/encounters/{id}/check-in", "encounter.invalid_transition")]
    [InlineData("/api/appointments", "appointment.slot_taken")]
    [InlineData("/api/encounters/{id}/invoice/payments", "payment.exceeds_balance")]
    public async Task a_commands_conflict_lists_the_codes_its_rules_answer(string path, string code)
    {
        var document = JsonNode.Parse((await app.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText())!;
        var conflict = document["paths"]![path]!["post"]!["responses"]!["409"]!;
        conflict["content"]!["application/problem+json"]!["schema"]!["properties"]!["code"]!["enum"]!.AsArray()
            .Select(c => c!.ToString()).ShouldContain(code);
        conflict["description"]!.ToString().ShouldContain($"`{code}`");
    }
}
