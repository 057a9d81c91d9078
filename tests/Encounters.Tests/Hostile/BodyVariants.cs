using System.Text.Json.Nodes;

namespace Encounters.Tests.Hostile;

public sealed record BodyVariant(string Label, string? Body, string? ContentType = null);

/// <summary>Hostile bodies: broken or odd JSON as a whole, then each field (nested ones too) replaced by hostile values.</summary>
public sealed class BodyVariants(ApiDescription api, Samples samples)
{
    private const string Raw = HostileRequest.RawMarker;
    private static readonly string HugeString = new('x', 100_000);

    public IEnumerable<BodyVariant> For(JsonNode schema)
    {
        foreach (var v in Whole(schema)) yield return v;
        var baseline = samples.Value(schema, "body")!;
        foreach (var (path, field) in Fields(schema, "", 0))
            foreach (var (label, value) in ValuesFor(field, path))
                yield return new BodyVariant($"body {path}={label}", HostileRequest.Serialize(Replace(baseline, path, value)));
    }

    private IEnumerable<BodyVariant> Whole(JsonNode schema)
    {
        var baseline = samples.Value(schema, "body")!.AsObject();
        foreach (var text in new[] { "", "null", "{", "not json", "[]", "0", "\"text\"", "true", "{}", "{} trailing", "{/*c*/}",
                     "{\"a\":\"\\uZZZZ\"}", "\"\\ud800\"", "{\"a\":1,\"a\":2}" })
            yield return new BodyVariant($"body {Describe(text)}", text);
        yield return new BodyVariant("body nested 10000 deep (arrays)", new string('[', 10_000) + new string(']', 10_000));
        yield return new BodyVariant("body nested 2000 deep (objects)", string.Concat(Enumerable.Repeat("{\"a\":", 2_000)) + "1" + new string('}', 2_000));
        yield return new BodyVariant("body of 2 MB", HostileRequest.Serialize(With(baseline, "pad", new string('p', 2_000_000))));
        yield return new BodyVariant("body with an unknown field", HostileRequest.Serialize(With(baseline, "unexpected", 1)));
        yield return new BodyVariant("body as text/plain", HostileRequest.Serialize(baseline), "text/plain");
        yield return new BodyVariant("body as form", "a=1", "application/x-www-form-urlencoded");
    }

    /// <summary>Every field, depth first, with a JSON-path-like address (items[0].code); arrays through their first item.</summary>
    private IEnumerable<(string Path, JsonNode? Schema)> Fields(JsonNode? schema, string prefix, int depth)
    {
        if (depth > 3) yield break;
        var resolved = api.Resolve(schema);
        switch (api.Kind(schema))
        {
            case "object":
                foreach (var (name, child) in resolved["properties"]!.AsObject())
                {
                    var path = prefix == "" ? name : $"{prefix}.{name}";
                    yield return (path, child);
                    foreach (var nested in Fields(child, path, depth + 1)) yield return nested;
                }
                break;
            case "array" when prefix != "":
                if (api.Kind(resolved["items"]) != "object") yield return ($"{prefix}[0]", resolved["items"]);
                foreach (var nested in Fields(resolved["items"], $"{prefix}[0]", depth + 1)) yield return nested;
                break;
        }
    }

    private IEnumerable<(string Label, JsonNode? Value)> ValuesFor(JsonNode? schema, string path)
    {
        yield return ("null", null);
        var kind = api.Kind(schema);
        foreach (var wrong in new JsonNode?[] { 123, true, new JsonObject(), new JsonArray(), "text" })
            if (!Fits(kind, wrong)) yield return ($"{WrongName(wrong)} (wrong type)", wrong);

        IEnumerable<(string, JsonNode?)> specific = kind switch
        {
            "string" => Strings(),
            "enum" => Strings().Concat([("unknown member", "nonsense"), ("comma list", "female,male"), ("number", 0)]),
            "uuid" => [("empty guid", Guid.Empty.ToString()), ("32 zeros", Guid.Empty.ToString("N")), ("unknown id", Guid.NewGuid().ToString()),
                ("not a guid", "abc")],
            "integer" or "number" => Numbers(),
            "date" => [("0001-01-01", "0001-01-01"), ("9999-12-31", "9999-12-31"), ("2024-02-30", "2024-02-30"), ("not a date", "x")],
            "date-time" => [("year 1", "0001-01-01T00:00:00Z"), ("year 1 at +14:00", "0001-01-01T00:00:00+14:00"),
                ("year 9999", "9999-12-31T23:59:59Z"), ("year 9999 at -14:00", "9999-12-31T23:59:59-14:00"), ("not a time", "x")],
            "array" => Arrays(schema, path),
            _ => [],
        };
        foreach (var value in specific) yield return value;
    }

    private static IEnumerable<(string, JsonNode?)> Strings() =>
    [
        ("empty", ""), ("blank", "   "), ("100k chars", HugeString), ("NUL", "a\u0000b"), ("control char", "a\u0001b"),
        ("escape sequence", "\u001b[2J"), ("lone surrogate", Raw + "\"\\ud800\""), ("newline at end", "ABC-1\n"), ("unicode", "Ωμέγα 🩺"),
    ];

    private static IEnumerable<(string, JsonNode?)> Numbers() =>
        new[] { "1e999999", "-1e999999", "1e308", "-1e308", "2147483648", "-2147483649", "79228162514264337593543950336", "1e-400", "1.5",
                "-0", "0" }
            .Select(n => (n, (JsonNode?)(Raw + n)))
            .Concat([("\"NaN\"", "NaN"), ("\"Infinity\"", "Infinity"), ("\"12\" (string)", "12")]);

    private IEnumerable<(string, JsonNode?)> Arrays(JsonNode? schema, string path)
    {
        var item = samples.Value(api.Resolve(schema)["items"], path.Split('.')[^1].TrimEnd('s'));
        yield return ("empty array", new JsonArray());
        yield return ("[null]", new JsonArray((JsonNode?)null));
        yield return ("1000 items", new JsonArray(Enumerable.Range(0, 1000).Select(_ => item?.DeepClone()).ToArray()));
        yield return ("same item twice", new JsonArray(item?.DeepClone(), item?.DeepClone()));
    }

    private static bool Fits(string kind, JsonNode? value) => value switch
    {
        JsonObject => kind == "object",
        JsonArray => kind == "array",
        JsonValue v when v.TryGetValue<bool>(out _) => kind == "boolean",
        JsonValue v when v.TryGetValue<int>(out _) => kind is "integer" or "number" or "enum",
        _ => kind is "string" or "enum" or "uuid" or "date" or "date-time",
    };

    private static string WrongName(JsonNode? value) => value switch
    {
        JsonObject => "object", JsonArray => "array", _ => value!.ToJsonString(),
    };

    /// <summary>A copy of the body with the field at <paramref name="path"/> (a.b[0].c) set to <paramref name="value"/>.</summary>
    private static JsonNode Replace(JsonNode body, string path, JsonNode? value)
    {
        var copy = body.DeepClone();
        var parts = path.Replace("[0]", ".0").Split('.');
        JsonNode? parent = copy;
        foreach (var part in parts[..^1])
            parent = parent is JsonArray array ? (array.Count > 0 ? array[0] : null) : parent?[part];
        if (parent is JsonObject obj) obj[parts[^1]] = value;
        else if (parent is JsonArray arr && arr.Count > 0) arr[0] = value;
        return copy;
    }

    private static JsonObject With(JsonObject body, string name, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        copy[name] = value;
        return copy;
    }

    private static string Describe(string text) => HostileVariants.Describe(text);
}
