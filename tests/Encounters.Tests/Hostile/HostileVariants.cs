using System.Text.Json.Nodes;

namespace Encounters.Tests.Hostile;

/// <summary>
/// Every hostile variant of one operation: its paths, queries, headers and body, mutated one part at a
/// time from a valid-looking baseline so each refusal is due to that part alone.
/// </summary>
public sealed class HostileVariants(ApiDescription api, Samples samples, HostileWorld world)
{
    public const string Huge = "huge";
    private static readonly string HugeString = new('x', 100_000);
    private static readonly string Long = new('q', 5_000);

    public IEnumerable<HostileRequest> For(Operation op)
    {
        var baseline = Baseline(op);
        yield return baseline;
        foreach (var variant in PathVariants(op, baseline)) yield return variant;
        foreach (var variant in QueryVariants(op, baseline)) yield return variant;
        foreach (var variant in HeaderVariants(op, baseline)) yield return variant;
        if (op.BodySchema is not null)
            foreach (var variant in new BodyVariants(api, samples).For(op.BodySchema))
                yield return baseline with { Label = variant.Label, Body = variant.Body, ContentType = variant.ContentType ?? baseline.ContentType };
    }

    private HostileRequest Baseline(Operation op) => new(op, "baseline",
        op.In("path").ToDictionary(p => p.Name, p => samples.PathValue(op, p.Name)),
        samples.Query(op),
        op.BodySchema is null ? null : HostileRequest.Serialize(samples.Value(op.BodySchema, "body")),
        new Dictionary<string, string>());

    private IEnumerable<HostileRequest> PathVariants(Operation op, HostileRequest baseline)
    {
        foreach (var p in op.In("path"))
        {
            string[] values = api.Kind(p.Schema) == "uuid"
                ? [Guid.Empty.ToString(), Guid.Empty.ToString("N"), Guid.NewGuid().ToString(), world.OtherTenantId.ToString(),
                    world.OtherFacilityId.ToString("N"), "not-a-guid", Long, "\u0001", "\n", "-1", "00000000-0000-0000-0000-00000000000g"]
                // NUL is left out: HTTP clients and servers refuse it in a path before the service sees it.
                : ["objective,assessment", "1", "0", "SUBJECTIVE", " subjective", "\u0001", "\n", Long, "%", "..", "plan\u007f"];
            foreach (var value in values)
                yield return baseline with { Label = $"path {p.Name}={Describe(value)}", Path = new(baseline.Path) { [p.Name] = value } };
        }
    }

    private IEnumerable<HostileRequest> QueryVariants(Operation op, HostileRequest baseline)
    {
        HostileRequest With(string label, params (string Name, string Value)[] values)
        {
            var query = new Dictionary<string, string>(baseline.Query);
            foreach (var (name, value) in values) query[name] = value;
            return baseline with { Label = label, Query = query };
        }

        foreach (var p in op.In("query"))
        {
            string[] values = api.Kind(p.Schema) switch
            {
                "integer" => ["2147483647", "2147483648", "-2147483648", "-1", "0", "99999999999999999999", "1e3", "1.5", "abc", ""],
                "date" or "date-time" => ["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                    "2024-02-30", "not-a-date", "\0", ""],
                "uuid" => [Guid.Empty.ToString(), Guid.Empty.ToString("N"), world.OtherTenantId.ToString(), "zzz", ""],
                "boolean" => ["maybe", "2", ""],
                _ => [Long, "\0", "\u0001\u001b[2J", "to-collect,to-receive", "' or 1=1 --", "%", ""],
            };
            foreach (var value in values) yield return With($"query {p.Name}={Describe(value)}", (p.Name, value));
        }

        if (op.Has("query", "page") && op.Has("query", "pageSize"))
        {
            yield return With("page*pageSize overflows", ("page", "2147483647"), ("pageSize", "500"));
            yield return With("page far beyond the end", ("page", "1000000"), ("pageSize", "500"));
        }
        if (op.Has("query", "from") && op.Has("query", "to"))
        {
            yield return With("from/to the whole calendar", ("from", "0001-01-01T00:00:00Z"), ("to", "9999-12-31T00:00:00Z"));
            yield return With("from/to reversed", ("from", "9999-12-31T00:00:00Z"), ("to", "0001-01-01T00:00:00Z"));
        }
    }

    private static IEnumerable<HostileRequest> HeaderVariants(Operation op, HostileRequest baseline)
    {
        string[] keys = ["", " ", new string('k', 10_240), new string('k', 129), "a\u0001b", "a\0b", "key with spaces", "ключ", "a\nb"];
        if (op.Has("header", "Idempotency-Key"))
            foreach (var key in keys)
                yield return baseline with { Label = $"Idempotency-Key={Describe(key)}", Headers = new() { ["Idempotency-Key"] = key } };

        foreach (var agent in new[] { "a\0b", "a\u0001b", new string('u', 10_000) })
            yield return baseline with { Label = $"User-Agent={Describe(agent)}", Headers = new() { ["User-Agent"] = agent } };

        if (op.Method is "GET") yield break;
        foreach (var ifMatch in new[] { "\"99999999999999999999\"", "abc", "\"-1\"", "W/\"1\"", "\0" })
            yield return baseline with { Label = $"If-Match={Describe(ifMatch)}", Headers = new() { ["If-Match"] = ifMatch } };
    }

    public static string Describe(string value) =>
        value.Length > 40 ? $"<{value.Length} chars>" : System.Text.Json.JsonSerializer.Serialize(value);
}
