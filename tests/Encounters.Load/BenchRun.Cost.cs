using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Encounters.Load;

// Issue 18: open-loop levels at fixed rates, the reference floor (FloorServer) driven the same way, and the report of
// our cost as a multiple of the floor's.
public sealed partial class BenchRun
{
    private static readonly double[] OpenLoopRates = [50, 100];

    private async Task<List<JsonObject>> OpenLoopLevels()
    {
        var levels = new List<JsonObject>();
        foreach (var rate in OpenLoopRates) levels.Add(await Level($"16 users at {rate} commands/s (open loop)", 16, rate));
        return levels;
    }

    /// <summary>`--floor-bench`: the floor's levels (16 users closed loop, then the open-loop rates) and its storage, as JSON.</summary>
    internal async Task<int> ExecuteFloorAsync()
    {
        await WarmUp();
        var before = await Storage.Take(options.Database, "floor");
        var levels = new List<JsonObject> { await Level("16 users", 16, null) };
        levels.AddRange(await OpenLoopLevels());
        var result = new JsonObject
        {
            ["levels"] = new JsonArray([.. levels]),
            ["storagePer1000Visits"] = (await Storage.Take(options.Database, "floor")).PerThousandVisits(before, _totalVisits),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
        await File.WriteAllTextAsync(options.Out, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return levels.Sum(l => l["errors"]!.GetValue<int>()) == 0 ? 0 : 1;
    }

    private async Task<JsonNode?> Floor() =>
        options.FloorJson.Length > 0 && File.Exists(options.FloorJson) ? JsonNode.Parse(await File.ReadAllTextAsync(options.FloorJson)) : null;

    private static double? Number(JsonNode? n) =>
        n is null ? null : double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Multiple(double? ours, double? floor) => ours is null || floor is null or 0 ? "" : $"{ours / floor:F1}×";

    private static readonly (string Label, Func<JsonNode, double?> Of)[] CostFigures =
    [
        ("service + PostgreSQL CPU ms", l => Number(l["serviceCpuMsPerCommand"]) + Number(l["postgresCpuMsPerCommand"])),
        ("service CPU ms", l => Number(l["serviceCpuMsPerCommand"])), ("PostgreSQL CPU ms", l => Number(l["postgresCpuMsPerCommand"])),
        ("SQL statements", l => Number(l["sqlStatementsPerCommand"])), ("write transactions", l => Number(l["writeTransactionsPerCommand"])),
        ("WAL bytes", l => Number(l["walBytesPerCommand"])), ("commands/s", l => Number(l["commandsPerSecond"])),
        ("command p99 ms", l => Number(l["commandP99Ms"])), ("read p99 ms", l => Number(l["readP99Ms"])),
    ];

    private static string CostMarkdown(JsonObject r)
    {
        var md = new StringBuilder();
        var ours = r["levels"]!.AsArray().Concat(r["openLoop"]!.AsArray()).ToDictionary(l => l!["name"]!.ToString(), l => l!);
        md.AppendLine("Open loop at fixed arrival rates (latency from the scheduled send, so queueing counts):");
        md.AppendLine();
        md.AppendLine("| level | commands/s | cmd p50/p95/p99 ms | read p50/p95/p99 ms | lag p99 ms | errors |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var l in r["openLoop"]!.AsArray())
            md.AppendLine($"| {l!["name"]} | {l["commandsPerSecond"]} | {l["commandP50Ms"]} / {l["commandP95Ms"]} / {l["commandP99Ms"]} | " +
                          $"{l["readP50Ms"]} / {l["readP95Ms"]} / {l["readP99Ms"]} | {l["projectionLagP99Ms"]} | {l["errors"]} |");
        if (r["floor"] is { } floor)
        {
            md.AppendLine();
            md.AppendLine("Per command against the reference floor (FloorServer: the same visits, one transaction per command), ours / floor:");
            md.AppendLine();
            var levels = floor["levels"]!.AsArray().Select(l => l!).Where(l => ours.ContainsKey(l["name"]!.ToString())).ToList();
            md.AppendLine("| figure | " + string.Join(" | ", levels.Select(l => l["name"])) + " |");
            md.AppendLine("|---|" + string.Concat(levels.Select(_ => "---|")));
            foreach (var (label, of) in CostFigures)
                md.AppendLine($"| {label} | " + string.Join(" | ", levels.Select(f =>
                {
                    var (o, fl) = (of(ours[f["name"]!.ToString()]), of(f));
                    return $"{o:0.##} / {fl:0.##} = {Multiple(o, fl)}";
                })) + " |");
        }

        md.AppendLine();
        md.AppendLine("Storage per 1,000 visits, MB (heap incl. TOAST / indexes), over the levels:");
        md.AppendLine();
        md.AppendLine("| table group | heap | indexes |");
        md.AppendLine("|---|---|---|");
        foreach (var (group, g) in r["storagePer1000Visits"]!.AsObject()) md.AppendLine($"| {group} | {g!["heapMb"]} | {g["indexMb"]} |");
        if (r["floor"]?["storagePer1000Visits"] is { } fs)
            foreach (var (group, g) in fs.AsObject()) md.AppendLine($"| floor: {group} | {g!["heapMb"]} | {g["indexMb"]} |");
        return md.ToString();
    }
}
