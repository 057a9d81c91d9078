using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Encounters.Load;

/// <summary>
/// `--preload N` (make bench with BENCH_PRELOAD_VISITS=N): the same open-loop level and 300-entry timeline read on the
/// database as it is, then again after N finished visits were preloaded (<see cref="Preload"/>), in one run, so the
/// ratios compare like with like on a noisy machine. Reports cost per command, latency, the top statements by total
/// time in each phase, audit verify (whole chain and incremental), and the plumbing tables' row counts.
/// </summary>
public sealed partial class PreloadComparison(Options options, string[] args)
{
    private readonly BenchRun _bench = new(options);
    private readonly int _visits = int.Parse(Options.Arg(args, "preload", "0"));
    private readonly int _days = int.Parse(Options.Arg(args, "preload-days", "90"));
    private readonly double _rate = double.Parse(Options.Arg(args, "rate", "40"));

    public async Task<int> ExecuteAsync()
    {
        await _bench.WaitForProjections();
        // The same level and timeline read once unreported, so that the empty phase does not pay the service's warm-up (JIT,
        // pools, caches) that the preloaded phase, run later, would not: a run without it measured the empty phase's service
        // CPU per command at 1.7x the preloaded one's.
        await _bench.Level($"warm-up: 16 users at {_rate} commands/s", 16, _rate);
        await _bench.TimelineOf300();
        var empty = await Phase("empty database");
        var sizeBefore = await _bench.DatabaseSize();
        var seconds = await Preload.RunAsync(_bench._clinics, _visits, _days);
        var catchUp = await CatchUp();
        Console.Error.WriteLine($"bench: preloaded {_visits} visits in {seconds:F0} s; projections caught up {catchUp:F0} s later");
        var preloaded = await Phase($"{_visits:N0} visits preloaded");

        var result = new JsonObject
        {
            ["at"] = DateTimeOffset.UtcNow.ToString("O"), ["preloadVisits"] = _visits, ["preloadDays"] = _days, ["rate"] = _rate,
            ["preloadSeconds"] = Math.Round(seconds, 1), ["projectionCatchUpSeconds"] = Math.Round(catchUp, 1),
            ["preloadMegabytes"] = (await _bench.DatabaseSize() - sizeBefore) / 1024 / 1024,
            ["empty"] = empty, ["preloaded"] = preloaded,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
        await File.WriteAllTextAsync(options.Out, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(Markdown(result));
        return empty["level"]!["errors"]!.GetValue<int>() + preloaded["level"]!["errors"]!.GetValue<int>() == 0 ? 0 : 1;
    }

    private async Task<JsonObject> Phase(string name)
    {
        // Every phase starts vacuumed, as an operator leaves a database after a bulk load and autovacuum does in the steady state.
        // Otherwise autovacuum's first pass over the loaded tables ran inside the preloaded phase (the 04:24 run: PostgreSQL CPU
        // 1.22x, and 970,825 calls of mt_immutable_timestamptz's body from its ANALYZE counted as statements), and only the empty
        // phase read the warm-up's dead row versions (07:27 run: mt_streams heap 52.5 buffers per command against 34.4 preloaded).
        await _bench.VacuumAnalyze();
        // Audit verify: the whole chain before the level (which marks it verified), then incrementally what the level added.
        var admin = new Api(new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromMinutes(5) }, new Recorder(),
            _bench._clinics[0]);
        var full = await Timed(() => admin.Send("facility_admin", HttpMethod.Get, "/api/audit/verify", null, "verify"));
        await _bench.Checkpoint();
        var before = await Statements();
        var relationsBefore = await RelationBuffers();
        var level = await _bench.Level($"{name}: 16 users at {_rate} commands/s", 16, _rate);
        var timeline = await _bench.TimelineOf300();
        var after = await Statements();
        var relations = PerCommand(relationsBefore, await RelationBuffers(), level);
        var incremental = await Timed(() => admin.Send("facility_admin", HttpMethod.Get, "/api/audit/verify?incremental=true", null, "verify"));
        return new JsonObject
        {
            ["level"] = level, ["timeline300ReadP95Ms"] = Math.Round(timeline, 2), ["topStatements"] = Top(before, after, s => s.TotalMs),
            ["topByBuffersPerCall"] = Top(before, after, s => s.Calls < 3 ? 0 : (double)s.Buffers / s.Calls),
            ["topByBuffers"] = Top(before, after, s => s.Buffers), ["topByWal"] = Top(before, after, s => s.WalBytes),
            ["auditVerifyFull"] = full, ["auditVerifyIncremental"] = incremental, ["plumbingRows"] = await PlumbingRows(),
            ["btreeLevels"] = await BtreeLevels(), ["buffersPerCommandByRelation"] = relations,
        };
    }

    private static async Task<JsonObject> Timed(Func<Task<JsonNode?>> call)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var verdict = await call();
        return new JsonObject
        {
            ["ms"] = Math.Round(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
            ["entriesChecked"] = verdict?["entriesChecked"]?.GetValue<long>(), ["intact"] = verdict?["intact"]?.GetValue<bool>(),
        };
    }

    /// <summary>The service's daemon works through the preloaded history (timeline, tasks, audit) before the second phase.</summary>
    private async Task<double> CatchUp()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(30))
        {
            if (await _bench.Drain() < 110_000) break; // Drain gives up after two minutes; under that, it saw the end
        }
        return System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static string Markdown(JsonObject r)
    {
        var (e, p) = (r["empty"]!, r["preloaded"]!);
        static double Number(JsonNode n) => double.Parse(n.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        string Ratio(JsonNode? a, JsonNode? b) => a is null || b is null || Number(a) == 0 ? "" : $"{Number(b) / Number(a):F2}";
        var md = new StringBuilder();
        md.AppendLine($"### Empty vs {r["preloadVisits"]} preloaded visits ({r["preloadDays"]} days) — {r["at"]}");
        md.AppendLine();
        md.AppendLine($"Preload: {r["preloadSeconds"]} s, then {r["projectionCatchUpSeconds"]} s for the async projections; +{r["preloadMegabytes"]} MB.");
        md.AppendLine();
        md.AppendLine("| figure | empty | preloaded | ratio |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (label, key) in new[]
                 {
                     ("commands/s", "commandsPerSecond"), ("SQL statements per command", "sqlStatementsPerCommand"),
                     ("transactions per command", "transactionsPerCommand"), ("buffers per command", "buffersPerCommand"), ("WAL bytes per command", "walBytesPerCommand"),
                     ("service CPU ms per command", "serviceCpuMsPerCommand"), ("PostgreSQL CPU ms per command", "postgresCpuMsPerCommand"),
                     ("command p50 ms", "commandP50Ms"), ("command p99 ms", "commandP99Ms"), ("read p99 ms", "readP99Ms"),
                     ("projection lag p99 ms", "projectionLagP99Ms"), ("errors", "errors"),
                 })
            md.AppendLine($"| {label} | {e["level"]![key]} | {p["level"]![key]} | {Ratio(e["level"]![key], p["level"]![key])} |");
        md.AppendLine($"| 300-entry timeline read p95 ms | {e["timeline300ReadP95Ms"]} | {p["timeline300ReadP95Ms"]} | {Ratio(e["timeline300ReadP95Ms"], p["timeline300ReadP95Ms"])} |");
        foreach (var kind in new[] { "Full", "Incremental" })
            md.AppendLine($"| audit verify ({kind.ToLowerInvariant()}) ms / entries | {e[$"auditVerify{kind}"]!["ms"]} / {e[$"auditVerify{kind}"]!["entriesChecked"]} | " +
                          $"{p[$"auditVerify{kind}"]!["ms"]} / {p[$"auditVerify{kind}"]!["entriesChecked"]} | |");
        foreach (var (name, _) in p["plumbingRows"]!.AsObject())
            md.AppendLine($"| rows: {name} | {e["plumbingRows"]![name]} | {p["plumbingRows"]![name]} | |");
        var (shallow, deep) = (e["btreeLevels"]!.AsObject(), p["btreeLevels"]!.AsObject());
        var deeper = deep.Where(d => shallow[d.Key] is { } s && (int)d.Value! > (int)s).Select(d => d.Key).ToList();
        md.AppendLine($"| btree indexes of the written tables one level deeper (one more buffer per descent) | | {deeper.Count} of {deep.Count} | |");
        if (deeper.Count > 0) md.AppendLine().AppendLine($"Deeper: {string.Join(", ", deeper)}.");
        md.AppendLine().AppendLine("Buffers per command by table (heap and TOAST) or index (pg_statio, every backend), the 15 that grew most:").AppendLine();
        md.AppendLine("| relation | empty | preloaded | growth |").AppendLine("|---|---|---|---|");
        var (inEmpty, inPreloaded) = (e["buffersPerCommandByRelation"]!.AsObject(), p["buffersPerCommandByRelation"]!.AsObject());
        foreach (var (name, grew) in inPreloaded.Select(x => (x.Key, Grew: Number(x.Value!) - (inEmpty[x.Key] is { } v ? Number(v) : 0)))
                     .OrderByDescending(x => x.Grew).Take(15))
            md.AppendLine($"| {name} | {inEmpty[name]?.ToString() ?? "0"} | {inPreloaded[name]} | {grew:+0.00;-0.00} |");
        foreach (var (phase, node, list, by) in new[] { ("empty", e, "topStatements", "total time"), ("preloaded", p, "topStatements", "total time"),
                     ("empty", e, "topByBuffers", "shared buffers"), ("preloaded", p, "topByBuffers", "shared buffers"),
                     ("preloaded", p, "topByBuffersPerCall", "shared buffers per call, 3 calls or more"),
                     ("empty", e, "topByWal", "WAL bytes"), ("preloaded", p, "topByWal", "WAL bytes") })
        {
            md.AppendLine();
            md.AppendLine($"Top statements by {by} ({phase}):");
            md.AppendLine();
            md.AppendLine("| statement | calls | total ms | ms/call | buffers/call | read from outside the cache/call | WAL bytes/call | full-page images/call |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var s in node[list]!.AsArray())
                md.AppendLine($"| `{s!["query"]!.ToString().Replace("|", "\\|")}` | {s["calls"]} | {s["totalMs"]} | {s["msPerCall"]} | {s["buffersPerCall"]} | " +
                              $"{s["readPerCall"]} | {s["walBytesPerCall"]} | {s["walFullPagesPerCall"]} |");
        }
        return md.ToString();
    }
}
