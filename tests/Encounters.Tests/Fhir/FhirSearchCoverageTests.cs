using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Tests.Fhir;

/// <summary>
/// Every search the CapabilityStatement declares, generated from it: for each resource type, one of the chart's resources is
/// found again by each declared parameter, with the value that resource itself carries, in a searchset Bundle the Firely R4
/// parser accepts in strict mode; a search with more than one match pages through <c>link.next</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public class FhirSearchCoverageTests(AppFixture app) : ChartTest(app)
{
    [Fact]
    public async Task every_declared_search_parameter_finds_the_chart_resource_that_carries_its_value()
    {
        var chart = await Chart();
        var patient = $"Patient/{chart["Patient"]}";
        var metadata = await FhirTest.Fhir<R4.CapabilityStatement>(Reader, "/fhir/metadata");
        var problems = new List<string>();
        var covered = new List<string>();

        foreach (var resource in metadata.Rest.Single().Resource.Where(r => r.SearchParam.Count > 0))
        {
            var declared = resource.SearchParam.Select(p => p.Name).ToList();
            var byPatient = declared.Contains("patient") ? $"patient={patient}&" : "";
            var found = resource.Type == "Patient"
                ? await FhirTest.Fhir<R4.Resource>(Reader, $"/fhir/{patient}")
                : (await FhirTest.Fhir<R4.Bundle>(Reader, $"/fhir/{resource.Type}?{byPatient.TrimEnd('&')}")).Entry.FirstOrDefault()?.Resource;
            if (found is null)
            {
                problems.Add($"{resource.Type}: the chart's patient has none to search for");
                continue;
            }
            var json = JsonNode.Parse(found.ToJson())!;
            foreach (var parameter in declared)
            {
                if (ValueOf(json, parameter) is not { } value)
                {
                    problems.Add($"{resource.Type}/{found.Id} carries no value for {parameter}");
                    continue;
                }
                var query = parameter == "patient" ? $"patient={patient}" : byPatient + $"{parameter}={Uri.EscapeDataString(value)}";
                var bundle = await FhirTest.Fhir<R4.Bundle>(Reader, $"/fhir/{resource.Type}?{query}");
                if (bundle.Type != R4.Bundle.BundleType.Searchset || !bundle.Entry.Any(e => e.Resource.Id == found.Id))
                    problems.Add($"{resource.Type}?{query} did not find {found.Id}");
                covered.Add($"{resource.Type}.{parameter}");
            }
            await PagesThrough(resource.Type, byPatient.TrimEnd('&'), problems);
        }

        problems.ShouldBeEmpty();
        // The searches issue 17 lists are among those declared and covered.
        foreach (var required in new[]
                 {
                     "Patient.identifier", "Patient.name", "Patient.birthdate", "Patient.phone", "Encounter.patient", "Encounter.date",
                     "Encounter.status", "Observation.patient", "Observation.encounter", "Observation.code", "Observation.category",
                     "Observation.date", "DiagnosticReport.patient", "DiagnosticReport.encounter", "DiagnosticReport.status",
                     "ServiceRequest.patient", "ServiceRequest.status", "Task.patient", "Task.status",
                 })
            covered.ShouldContain(required);
    }

    /// <summary>With one entry a page, a search with several matches links to its next page, which is a searchset too.</summary>
    private async Task PagesThrough(string type, string query, List<string> problems)
    {
        if (type == "Patient") return;
        var first = await FhirTest.Fhir<R4.Bundle>(Reader, $"/fhir/{type}?{query}&_count=1");
        if (first.Total is not > 1) return;
        if (first.NextLink is not { } next) problems.Add($"{type}?{query}&_count=1: {first.Total} matches but no link.next");
        else if ((await FhirTest.Fhir<R4.Bundle>(Reader, next.PathAndQuery)).Entry.Count != 1) problems.Add($"{type}: link.next is not the next page");
    }

    /// <summary>The value a resource carries for a search parameter, as a client would send it.</summary>
    private static string? ValueOf(JsonNode r, string parameter) => parameter switch
    {
        "patient" => (r["subject"] ?? r["patient"] ?? r["for"])?["reference"]?.ToString(),
        "encounter" or "context" => (r["encounter"] ?? r["context"])?["reference"]?.ToString(),
        "status" => r["status"]?.ToString(),
        "code" => r["code"]?["coding"]?[0]?["code"]?.ToString(),
        "category" => r["category"]?[0]?["coding"]?[0]?["code"]?.ToString(),
        "date" => (r["effectiveDateTime"] ?? r["period"]?["start"])?.ToString()[..10],
        "identifier" => r["identifier"]?[0]?["value"]?.ToString(),
        "name" => r["name"]?[0]?["family"]?.ToString() ?? r["name"]?[0]?["text"]?.ToString(),
        "birthdate" => r["birthDate"]?.ToString(),
        "phone" => r["telecom"]?[0]?["value"]?.ToString(),
        _ => null,
    };
}
