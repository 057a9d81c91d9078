using System.Text.Json.Nodes;

namespace Encounters.Tests.Hostile;

/// <summary>
/// A valid-looking baseline for every parameter and body, built from the schemas: ids of the seeded
/// world where a name says which (patientId, /orders/{id}), today's times, the first enum value. A few
/// well-known field names get a realistic value so that the baseline passes validation where it can.
/// </summary>
public sealed class Samples(ApiDescription api, HostileWorld world)
{
    private static readonly Dictionary<string, JsonNode?> Known = new()
    {
        ["dateOfBirth"] = "1987-04-12", ["phone"] = "+234 801 555 0101", ["mrn"] = null, ["serviceCode"] = "GLU",
        ["loinc"] = "2345-7", ["unit"] = "mg/dL", ["followUpDate"] = null, ["diagnoses"] = null,
        ["procedureCode"] = "CXR-PA", ["modality"] = "DX", ["studyInstanceUid"] = "1.2.840.10008.1", ["conclusion"] = null,
    };

    public JsonNode? Value(JsonNode? schema, string name)
    {
        if (Known.TryGetValue(name, out var known)) return known?.DeepClone();
        if (name == "barcode") return world.Barcode;
        var resolved = api.Resolve(schema);
        return api.Kind(schema) switch
        {
            "object" => new JsonObject(resolved["properties"]!.AsObject()
                .Select(p => KeyValuePair.Create(p.Key, Value(p.Value, p.Key)))),
            "array" => new JsonArray(Value(resolved["items"], Singular(name))),
            "enum" => resolved["enum"]!.AsArray()[0]!.DeepClone(),
            "uuid" => world.IdFor(name).ToString(),
            "date" => DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd"),
            "date-time" => DateTimeOffset.UtcNow.ToString("O"),
            "integer" or "number" => 1,
            "boolean" => true,
            _ => $"hostile {name}",
        };
    }

    /// <summary>Path parameters: the seeded resource the previous segment names (/encounters/{id}), a section, a catalog code.</summary>
    public string PathValue(Operation op, string parameter)
    {
        var segments = op.Path.Split('/');
        var index = Array.IndexOf(segments, $"{{{parameter}}}");
        return parameter switch
        {
            "section" => "subjective",
            "code" => "GLU",
            "vid" => "1",
            // FHIR observation ids name the report and the analyte (Fhir/FhirLabObservation.cs).
            _ when segments[index - 1] == "Observation" => $"lab.{world.Ids["result"]:N}.0",
            _ => world.IdFor(segments[index - 1]).ToString(),
        };
    }

    /// <summary>Query parameters a baseline needs: a from/to window where both exist, a worklist stage.</summary>
    public Dictionary<string, string> Query(Operation op)
    {
        var query = new Dictionary<string, string>();
        if (op.Has("query", "from") && op.Has("query", "to"))
        {
            query["from"] = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
            query["to"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O");
        }
        if (op.Has("query", "stage")) query["stage"] = "to-collect";
        return query;
    }

    private static string Singular(string name) => name.EndsWith("Ids") ? name[..^1] : name;
}
