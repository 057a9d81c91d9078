using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Shouldly;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Tests.Fhir;

/// <summary>
/// Reads through the FHIR API as a FHIR client would: every answer must be application/fhir+json that the Firely SDK's R4
/// JSON parser accepts in strict mode, and every literal reference in it must resolve through the same API.
/// </summary>
public abstract class FhirTest(AppFixture app) : ClinicTest(app)
{
    private static readonly FhirJsonDeserializer Strict = new(new DeserializerSettings().UsingMode(DeserializationMode.Strict));

    /// <summary>The answer, parsed strictly; refusals must be OperationOutcomes.</summary>
    public static async Task<T> Fhir<T>(Caller caller, string url, int expect = 200) where T : R4.Resource
    {
        var response = await caller.Get(url, expect);
        response.ContentType.ShouldStartWith("application/fhir+json", customMessage: url);
        var resource = Strict.DeserializeResource(response.Result.ReadAsText());
        if (expect >= 400) resource.ShouldBeOfType<R4.OperationOutcome>(url);
        return resource.ShouldBeAssignableTo<T>(url)!;
    }

    protected static Task<R4.Bundle> Search(Caller caller, string url) => Fhir<R4.Bundle>(caller, url);

    /// <summary>Each literal reference ("Type/id" or "Type/id/_history/n") anywhere in the resource reads back as that type, id and version.</summary>
    protected static async Task ReferencesResolve(Caller caller, R4.Resource resource)
    {
        foreach (var reference in References(JsonNode.Parse(resource.ToJson())!).Distinct())
        {
            var read = await Fhir<R4.Resource>(caller, $"/fhir/{reference}");
            var parts = reference.Split('/');
            $"{read.TypeName}/{read.Id}".ShouldBe($"{parts[0]}/{parts[1]}");
            if (parts.Length == 4) read.Meta.VersionId.ShouldBe(parts[3]);
        }
    }

    private static IEnumerable<string> References(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "reference" && p.Value is JsonValue v ? [v.ToString()] : p.Value is null ? [] : References(p.Value)),
        JsonArray a => a.SelectMany(item => item is null ? [] : References(item)),
        _ => [],
    };

    protected static T Only<T>(R4.Bundle bundle) where T : R4.Resource => bundle.Entry.ShouldHaveSingleItem().Resource.ShouldBeOfType<T>();
}
