using System.Text.Json.Nodes;

namespace Encounters.Tests.Hostile;

/// <summary>One request to send: a label saying what is hostile about it, and its parts.</summary>
public sealed record HostileRequest(Operation Op, string Label, Dictionary<string, string> Path, Dictionary<string, string> Query,
    string? Body, Dictionary<string, string> Headers, string ContentType = "application/json")
{
    /// <summary>Raw JSON text stands in the body where a JSON node cannot hold it (1e999999): marked, then spliced in.</summary>
    public const string RawMarker = "\u0002raw:";

    public string Url
    {
        get
        {
            var path = Path.Aggregate(Op.Path, (url, p) => url.Replace($"{{{p.Key}}}", Uri.EscapeDataString(p.Value)));
            return Query.Count == 0 ? path : path + "?" + string.Join("&", Query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}"));
        }
    }

    public static string Serialize(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        if (!text.Contains("\\u0002raw:")) return text;
        // "\u0002raw:1e999999" (a JSON string) → 1e999999, unescaped as JSON
        return System.Text.RegularExpressions.Regex.Replace(text, @"""\\u0002raw:((?:[^""\\]|\\.)*)""",
            m => System.Text.Json.JsonSerializer.Deserialize<string>($"\"{m.Groups[1].Value}\"")!);
    }

    public override string ToString() => $"{Op} [{Label}] {Truncate(Url)}";

    private static string Truncate(string s) => s.Length > 160 ? s[..160] + "…" : s;
}
