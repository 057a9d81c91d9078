using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Encounters.Observability;

/// <summary>
/// One example request and response per operation, built from its schemas (so it changes with the records it shows):
/// a realistic value for the field names a clinic knows, the first value of an enum, fixed ids and times otherwise.
/// </summary>
public static class OpenApiExamples
{
    private static readonly Dictionary<string, JsonNode?> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fullName"] = "Amina Okafor", ["name"] = "Amina Okafor", ["dateOfBirth"] = "1987-04-12", ["phone"] = "+234 801 555 0101",
        ["mrn"] = "MRN-004211", ["nationalId"] = "NIN-12345678901", ["address"] = "12 Marina Road, Lagos",
        ["reason"] = "Fever and cough for three days", ["note"] = "Patient fasting since 22:00.", ["text"] = "Chest clear; no rash.",
        ["serviceCode"] = "K", ["testCode"] = "K", ["code"] = "2823-3", ["loinc"] = "2823-3", ["unit"] = "mmol/L", ["value"] = 4.2,
        ["barcode"] = "S-000123", ["accessionNumber"] = "S-000123", ["currency"] = "NGN", ["amount"] = 5000, ["facilityId"] = "clinic-1",
        ["tenantId"] = "demo", ["reference"] = "POS-20260302-0042", ["substance"] = "Penicillin", ["comment"] = "Slightly haemolysed.",
        ["version"] = 1, ["pulse"] = 72, ["temperature"] = 37.9, ["systolic"] = 128, ["diastolic"] = 82,
    };

    private const string Id = "0195a3c2-7e4b-7c1d-9a2f-3b8e5d6c4a10";
    private const string At = "2026-03-02T09:30:00+00:00";

    /// <summary>
    /// Strings and arrays have their own converters (Requests/StrictJson.cs), which hide their shape from the schema
    /// generator (an empty schema): describe them as what they are, with their limits.
    /// </summary>
    public static async Task DescribeConvertedTypes(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.Type is not null || schema.Properties?.Count > 0 || schema.Enum?.Count > 0) return;
        if (type == typeof(string))
        {
            schema.Type = JsonSchemaType.String;
            schema.MaxLength ??= Requests.Limits.MaxString;
        }
        else if (type.IsArray && type.GetElementType() is { } element)
        {
            schema.Type = JsonSchemaType.Array;
            schema.MaxItems = Requests.Limits.MaxItems;
            schema.Items = await context.GetOrCreateSchemaAsync(element, null, ct);
        }
    }

    public static Task Add(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken _)
    {
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true && body.Schema is { } request)
                body.Example = Example(request, "", 0);
            foreach (var (status, response) in operation.Responses ?? [])
                if (status.StartsWith('2') && response.Content?.TryGetValue("application/json", out var media) == true && media.Schema is { } schema)
                    media.Example = Example(schema, "", 0);
        }
        return Task.CompletedTask;
    }

    private static JsonNode? Example(IOpenApiSchema schema, string name, int depth)
    {
        if (Known.TryGetValue(name, out var known) && schema.Properties is not { Count: > 0 }) return known?.DeepClone();
        if (depth > 6) return null;
        if (schema.OneOf?.FirstOrDefault(s => s.Type != JsonSchemaType.Null) is { } option) return Example(option, name, depth);
        if (schema.AllOf?.FirstOrDefault() is { } all) return Example(all, name, depth);
        if (schema.Enum?.FirstOrDefault(e => e is not null) is { } first) return first.DeepClone();
        if (schema.Properties is { Count: > 0 } properties)
            return new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Example(p.Value, p.Key, depth + 1))));
        var type = schema.Type ?? JsonSchemaType.String;
        if (type.HasFlag(JsonSchemaType.Array))
            return schema.Items is { } items ? new JsonArray(Example(items, Singular(name), depth + 1)) : new JsonArray();
        if (schema.AdditionalProperties is { } values) return new JsonObject { [Id] = Example(values, name, depth + 1) };
        if (type.HasFlag(JsonSchemaType.Integer)) return 1;
        if (type.HasFlag(JsonSchemaType.Number)) return 1.5;
        if (type.HasFlag(JsonSchemaType.Boolean)) return false;
        return schema.Format switch
        {
            "uuid" => Id,
            "date" => At[..10],
            "date-time" => At,
            _ => name == "" ? "text" : OpenApiConventions.Humanize(char.ToUpperInvariant(name[0]) + name[1..]),
        };
    }

    private static string Singular(string name) => name.EndsWith('s') ? name[..^1] : name;
}
