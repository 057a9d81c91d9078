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
}
