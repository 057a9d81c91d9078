using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Encounters.Load;

public sealed partial class BenchRun(Options options)
{
    private Options Options => options;

    private static readonly string[] ReadKinds = ["read encounter", "read timeline", "read worklist", "read tasks", "read order"];

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(30),
    };

    internal readonly List<Clinic> _clinics = Enumerable.Range(0, options.Tenants)
        .SelectMany(t => new[] { 1, 2 }.Select(f => new Clinic($"bench-{t}", $"clinic-{f}", options.SigningKey)))
        .ToList();

    private readonly Dictionary<string, int> _acknowledged = [];
    private long _totalVisits;

    public async Task<int> ExecuteAsync()
    {
        var firstCommandMs = await TimeToFirstCommand();
        var projectionsRunningMs = await WaitForProjections();
        await WarmUp();
        var sizeBefore = await DatabaseSize();
        var levels = new List<JsonObject>();
        var storageBefore = await Storage.Take(options.Database, "encounters");
        foreach (var users in options.Levels) levels.Add(await Level($"{users} users", users, null));

        var peak = levels.Max(l => l["commandsPerSecond"]!.GetValue<double>());
        var half = await Level($"16 users at half of peak ({peak / 2:F0} commands/s)", 16, peak / 2);
        var openLoop = new JsonArray([.. await OpenLoopLevels()]);
        var storage = (await Storage.Take(options.Database, "encounters")).PerThousandVisits(storageBefore, _totalVisits);
        var timeline300 = await TimelineOf300();
        var verification = await Verify();
        var sizeAfter = await DatabaseSize();

        var result = new JsonObject
        {
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            ["at"] = DateTimeOffset.UtcNow.ToString("O"),
            ["pgbenchTps4"] = options.PgbenchTps4,
            ["pgbenchTps16"] = options.PgbenchTps16,
            ["coldStartMs"] = options.ColdStartMs,
            ["timeToFirstCommandMs"] = Math.Round(firstCommandMs, 1),
            ["projectionsRunningAfterMs"] = Math.Round(projectionsRunningMs, 0),
            ["levels"] = new JsonArray([.. levels]),
            ["halfPeak"] = half,
            ["openLoop"] = openLoop,
            ["storagePer1000Visits"] = storage,
            ["floor"] = await Floor(),
            ["timeline300ReadP95Ms"] = Math.Round(timeline300, 2),
            ["postgresBytesPer1000Visits"] = _totalVisits == 0 ? 0 : (sizeAfter - sizeBefore) * 1000 / _totalVisits,
            ["servicePeakRssMb"] = PeakRssMb(),
            ["verification"] = verification,
        };

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
        await File.WriteAllTextAsync(options.Out, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(Markdown(result));
        var errors = levels.Append(half).Concat(openLoop.Select(l => l!)).Sum(l => l["errors"]!.GetValue<int>());
        return errors == 0 && verification["lostWrites"]!.GetValue<int>() == 0 ? 0 : 1;
    }

    private async Task<double> TimeToFirstCommand()
    {
        var api = new Api(_http, new Recorder(), new Clinic("bench-probe", "clinic-1", options.SigningKey));
        var started = Stopwatch.GetTimestamp();
        await api.Send("receptionist", HttpMethod.Post, "/api/patients", new { fullName = "First Patient", dateOfBirth = "1970-01-01", sex = "male" }, "first");
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// After a cold start the nodes first agree who runs which projection; measure how long until a
    /// write shows up in a timeline, and only then start the levels (whose lag is the steady state).
    /// </summary>
    internal async Task<double> WaitForProjections()
    {
        var api = new Api(_http, new Recorder(), new Clinic("bench-probe", "clinic-1", options.SigningKey));
        var started = Stopwatch.GetTimestamp();
        var encounter = await StartProbeEncounter(api);
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(120))
        {
            var timeline = await api.Send("clinician", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?pageSize=1&count=true", null, "warm-up");
            if (timeline?["total"]?.GetValue<long>() >= 2) break;
            await Task.Delay(50);
        }
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    internal async Task<JsonObject> Level(string name, int users, double? commandsPerSecond, int? seconds = null)
    {
        var recorder = new Recorder();
        var deadline = DateTime.UtcNow.AddSeconds(seconds ?? options.Seconds);
        var interval = commandsPerSecond is { } rate ? TimeSpan.FromSeconds(1 / rate).Ticks : 0;
        long nextSlot = DateTime.UtcNow.Ticks;

        // Open loop: each command has a slot; its latency counts from the slot, so a late send shows as queueing.
        async Task<DateTime?> Pace()
        {
            if (interval == 0) return null;
            var slot = new DateTime(Interlocked.Add(ref nextSlot, interval) - interval, DateTimeKind.Utc);
            var wait = slot - DateTime.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            return slot;
        }

        using var probeStop = new CancellationTokenSource();
        var probe = options.Floor ? Task.CompletedTask : ProbeLag(recorder, probeStop.Token);
        var costBefore = await Cost.Take(options);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, users).Select(async i =>
        {
            var clinic = _clinics[i % _clinics.Count];
            var (api, random) = (new Api(_http, recorder, clinic), new Random(i * 7919 + users));
            Func<Task<bool>> visit = options.Floor ? new FloorUser(api, random, Pace).Visit : new VirtualUser(api, random, Pace).Visit;
            while (DateTime.UtcNow < deadline)
                if (await visit()) Interlocked.Increment(ref recorder.Visits);
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        probeStop.Cancel();
        await probe;
        // The level is not over until the work it caused is done: the projections and the queued read audits
        // catch up before the cost is taken, and before the next level starts.
        var drainMs = options.Floor ? 0 : await Drain(); // the floor has no background work
        var cost = (await Cost.Take(options)).Minus(costBefore);

        foreach (var (key, count) in recorder.Acknowledged) _acknowledged[key] = _acknowledged.GetValueOrDefault(key) + count;
        _totalVisits += recorder.Visits;

        var writes = recorder.Latency.Where(l => !ReadKinds.Contains(l.Key)).SelectMany(l => l.Value).ToList();
        var reads = recorder.Latency.Where(l => ReadKinds.Contains(l.Key)).SelectMany(l => l.Value).ToList();
        double? PerCommand(double total) => recorder.Writes == 0 ? null : Math.Round(total / recorder.Writes, 2);
        var ceiling = users <= 4 ? options.PgbenchTps4 : options.PgbenchTps16;
        var cps = recorder.Writes / elapsed;
        var level = new JsonObject
        {
            ["name"] = name,
            ["users"] = users,
            ["seconds"] = Math.Round(elapsed, 1),
            ["visits"] = recorder.Visits,
            ["commandsPerSecond"] = Math.Round(cps, 1),
            ["readsPerSecond"] = Math.Round(recorder.Reads / elapsed, 1),
            ["ratioToPgbench"] = ceiling > 0 ? Math.Round(cps / ceiling, 3) : null,
            ["commandP50Ms"] = Round(Stats.Percentile(writes, 0.5)),
            ["commandP95Ms"] = Round(Stats.Percentile(writes, 0.95)),
            ["commandP99Ms"] = Round(Stats.Percentile(writes, 0.99)),
            ["readP50Ms"] = Round(Stats.Percentile(reads, 0.5)),
            ["readP95Ms"] = Round(Stats.Percentile(reads, 0.95)),
            ["readP99Ms"] = Round(Stats.Percentile(reads, 0.99)),
            ["projectionLagP50Ms"] = Round(Stats.Percentile(recorder.ProjectionLag, 0.5)),
            ["projectionLagP99Ms"] = Round(Stats.Percentile(recorder.ProjectionLag, 0.99)),
            ["errors"] = recorder.Errors.Count,
            ["firstErrors"] = new JsonArray([.. recorder.Errors.Take(5).Select(e => (JsonNode)e)]),
            ["servicePeakRssMb"] = PeakRssMb(),
            ["drainAfterLoadMs"] = Math.Round(drainMs, 0),
            // Per acknowledged command, with its share of the reads and of the background work it causes.
            ["sqlStatementsPerCommand"] = PerCommand(cost.Statements),
            ["transactionsPerCommand"] = PerCommand(cost.Transactions),
            ["writeTransactionsPerCommand"] = PerCommand(cost.WriteTransactions),
            ["walBytesPerCommand"] = PerCommand(cost.WalBytes),
            ["buffersPerCommand"] = PerCommand(cost.Buffers),
            ["serviceCpuMsPerCommand"] = PerCommand(cost.ServiceCpuMs),
            ["postgresCpuMsPerCommand"] = PerCommand(cost.PostgresCpuMs),
            ["loadGeneratorCpuMsPerCommand"] = PerCommand(cost.LoadCpuMs),
            ["perKind"] = new JsonObject(recorder.Latency.OrderBy(k => k.Key).Select(k => KeyValuePair.Create(k.Key, (JsonNode?)new JsonObject
            {
                ["count"] = k.Value.Count,
                ["p50"] = Round(Stats.Percentile(k.Value, 0.5)),
                ["p95"] = Round(Stats.Percentile(k.Value, 0.95)),
                ["p99"] = Round(Stats.Percentile(k.Value, 0.99)),
            }))),
        };
        Console.Error.WriteLine($"bench: {name}: {cps:F0} commands/s, {recorder.Errors.Count} errors");
        return level;
    }
}
