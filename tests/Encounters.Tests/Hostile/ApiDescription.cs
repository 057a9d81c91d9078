using System.Text.Json.Nodes;
using Alba;

namespace Encounters.Tests.Hostile;

public sealed record Parameter(string Name, string In, JsonNode? Schema);

/// <summary>One operation of the OpenAPI document: what the hostile test sends variants of.</summary>
public sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, JsonNode? BodySchema)
{
    public IEnumerable<Parameter> In(string location) => Parameters.Where(p => p.In == location);
    public bool Has(string location, string name) => In(location).Any(p => p.Name == name);
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// The service's own OpenAPI document, read at test time: every operation it lists is tested, so a new
/// endpoint is covered without touching the test.
/// </summary>
public sealed class ApiDescription(JsonNode document)
{
    public static async Task<ApiDescription> LoadAsync(IAlbaHost host)
    {
        var result = await host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        return new ApiDescription(JsonNode.Parse(await result.ReadAsTextAsync())!);
    }

    public IReadOnlyList<Operation> Operations() =>
        document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(method => (Path: path.Key, Method: method.Key.ToUpperInvariant(), Op: method.Value!)))
            .Select(x => new Operation(x.Method, x.Path,
                (x.Op["parameters"]?.AsArray() ?? []).Select(p => Declared(document, p!)).Select(p => new Parameter(p["name"]!.ToString(), p["in"]!.ToString(), p["schema"])).ToList(),
                x.Op["requestBody"]?["content"]?["application/json"]?["schema"]))
            .OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method)
            .ToList();

    /// <summary>A parameter as declared: a <c>$ref</c> followed into <c>components.parameters</c> (the shared headers).</summary>
    public static JsonNode Declared(JsonNode document, JsonNode parameter) =>
        parameter["$ref"]?.ToString() is { } reference ? document["components"]!["parameters"]![reference.Split('/')[^1]]! : parameter;

    /// <summary>The statuses the document declares for an operation.</summary>
    public IReadOnlySet<string> Responses(Operation op) =>
        document["paths"]![op.Path]![op.Method.ToLowerInvariant()]!["responses"]?.AsObject().Select(r => r.Key).ToHashSet() ?? [];

    /// <summary>The schema itself: <c>$ref</c> followed into components, a nullable <c>oneOf</c> unwrapped.</summary>
    public JsonNode Resolve(JsonNode? schema)
    {
        for (var i = 0; i < 10 && schema is not null; i++)
        {
            if (schema["$ref"]?.ToString() is { } reference)
                schema = document["components"]!["schemas"]![reference.Split('/')[^1]];
            else if (schema["oneOf"]?.AsArray() is { } options)
                schema = options.FirstOrDefault(o => o?["type"]?.ToString() != "null");
            else return schema;
        }
        return schema ?? new JsonObject();
    }

    /// <summary>The schema's kind: object, array, enum, uuid, date, date-time, integer, number, boolean or string.</summary>
    public string Kind(JsonNode? schema)
    {
        var s = Resolve(schema);
        if (s["enum"] is not null) return "enum";
        if (s["properties"] is not null) return "object";
        var types = s["type"] is JsonArray many ? many.Select(t => t!.ToString()).ToArray() : [s["type"]?.ToString() ?? "string"];
        if (types.Contains("array")) return "array";
        if (types.Contains("integer")) return "integer";
        if (types.Contains("number")) return "number";
        if (types.Contains("boolean")) return "boolean";
        return s["format"]?.ToString() is "uuid" or "date" or "date-time" ? s["format"]!.ToString() : "string";
    }
}
