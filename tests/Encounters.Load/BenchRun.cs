using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Encounters.Load;

public sealed class BenchRun(Options options)
{
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
        var sizeBefore = await DatabaseSize();
        var firstCommandMs = await TimeToFirstCommand();
        var projectionsRunningMs = await WaitForProjections();
        var levels = new List<JsonObject>();
        foreach (var users in options.Levels) levels.Add(await Level($"{users} users", users, null));

        var peak = levels.Max(l => l["commandsPerSecond"]!.GetValue<double>());
        var half = await Level($"16 users at half of peak ({peak / 2:F0} commands/s)", 16, peak / 2);
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
            ["timeline300ReadP95Ms"] = Math.Round(timeline300, 2),
            ["postgresBytesPer1000Visits"] = _totalVisits == 0 ? 0 : (sizeAfter - sizeBefore) * 1000 / _totalVisits,
            ["servicePeakRssMb"] = PeakRssMb(),
            ["verification"] = verification,
        };

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Out))!);
        await File.WriteAllTextAsync(options.Out, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(Markdown(result));
        var errors = levels.Append(half).Sum(l => l["errors"]!.GetValue<int>());
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
            var timeline = await api.Send("nurse", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?pageSize=1", null, "warm-up");
            if (timeline?["total"]?.GetValue<long>() >= 2) break;
            await Task.Delay(50);
        }
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    internal async Task<JsonObject> Level(string name, int users, double? commandsPerSecond)
    {
        var recorder = new Recorder();
        var deadline = DateTime.UtcNow.AddSeconds(options.Seconds);
        var interval = commandsPerSecond is { } rate ? TimeSpan.FromSeconds(1 / rate).Ticks : 0;
        long nextSlot = DateTime.UtcNow.Ticks;

        async Task Pace()
        {
            if (interval == 0) return;
            var slot = Interlocked.Add(ref nextSlot, interval) - interval;
            var wait = new DateTime(slot, DateTimeKind.Utc) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }

        using var probeStop = new CancellationTokenSource();
        var probe = ProbeLag(recorder, probeStop.Token);
        var costBefore = await Cost.Take(options);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, users).Select(async i =>
        {
            var clinic = _clinics[i % _clinics.Count];
            var user = new VirtualUser(new Api(_http, recorder, clinic), new Random(i * 7919 + users), Pace);
            while (DateTime.UtcNow < deadline)
                if (await user.Visit()) Interlocked.Increment(ref recorder.Visits);
        }));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        probeStop.Cancel();
        await probe;
        // The level is not over until the work it caused is done: the projections and the queued read audits
        // catch up before the cost is taken, and before the next level starts.
        var drainMs = await Drain();
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

    /// <summary>
    /// Projection lag, measured from outside: record vitals on a probe encounter, then poll its timeline
    /// until the entry shows up. Runs alongside the load.
    /// </summary>
    private async Task ProbeLag(Recorder level, CancellationToken stop)
    {
        var probeRecorder = new Recorder();
        var api = new Api(_http, probeRecorder, new Clinic("bench-probe", "clinic-1", options.SigningKey));
        var encounter = await StartProbeEncounter(api);
        if (encounter is null) return;
        var expected = 0;
        while (!stop.IsCancellationRequested)
        {
            if (await api.Send("nurse", HttpMethod.Post, $"/api/encounters/{encounter}/vitals", new { pulse = 70 }, "probe") is null) return;
            expected++;
            var written = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(written) < TimeSpan.FromSeconds(30))
            {
                var timeline = await api.Send("nurse", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?kind=vitals&pageSize=1", null, "probe read");
                if (timeline?["total"]?.GetValue<long>() >= expected)
                {
                    level.ProjectionLag.Add(Stopwatch.GetElapsedTime(written).TotalMilliseconds);
                    break;
                }
                await Task.Delay(10);
            }
            try { await Task.Delay(250, stop); } catch (TaskCanceledException) { }
        }
    }

    private static async Task<string?> StartProbeEncounter(Api api)
    {
        var patient = await api.Send("receptionist", HttpMethod.Post, "/api/patients", new { fullName = "Probe", dateOfBirth = "1970-01-01", sex = "female" }, "probe");
        if (patient is null) return null;
        var encounter = await api.Send("receptionist", HttpMethod.Post, "/api/encounters", new { patientId = patient["id"]!.ToString(), reason = "probe" }, "probe");
        var id = encounter?["id"]?.ToString();
        if (id is null) return null;
        await api.Send("receptionist", HttpMethod.Post, $"/api/encounters/{id}/check-in", null, "probe");
        return id;
    }

    /// <summary>Waits (at most two minutes) until every async projection has reached the newest event and no message waits in the durable inbox.</summary>
    internal async Task<double> Drain()
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(2))
        {
            await using var cmd = db.CreateCommand("""
                select (select count(*) from encounters.wolverine_incoming_envelopes where status = 'Incoming') = 0
                   and (select coalesce(min(last_seq_id), 0) from encounters.mt_event_progression where name not like 'HighWater%')
                       >= (select coalesce(max(seq_id), 0) from encounters.mt_events)
                """);
            if ((bool)(await cmd.ExecuteScalarAsync())!) break;
            await Task.Delay(100);
        }
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>p95 of reading a whole 300-entry timeline.</summary>
    internal async Task<double> TimelineOf300()
    {
        var recorder = new Recorder();
        var api = new Api(_http, recorder, new Clinic("bench-probe", "clinic-1", options.SigningKey));
        var encounter = await StartProbeEncounter(api);
        for (var i = 0; i < 298; i++)
            await api.Send("nurse", HttpMethod.Post, $"/api/encounters/{encounter}/vitals", new { pulse = 60 + i % 40 }, "fill");
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var timeline = await api.Send("nurse", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?pageSize=1", null, "wait");
            if (timeline?["total"]?.GetValue<long>() >= 300) break;
            await Task.Delay(100);
        }

        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await api.Send("nurse", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?pageSize=300", null, "timeline 300");
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return Stats.Percentile(times.Skip(20), 0.95); // the first reads warm the connection pool
    }

    /// <summary>
    /// Every acknowledged write must be in the event store, and (once the daemon has caught up) in the
    /// timeline and the audit trail: counts per tenant must match.
    /// </summary>
    private async Task<JsonObject> Verify()
    {
        // Chart reads are audited by messages that may still be in flight when the load stops: give
        // the system up to a minute to settle, and report what does not match after that.
        JsonObject result = new();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            result = await VerifyOnce();
            if (result["lostWrites"]!.GetValue<int>() == 0) break;
            await Task.Delay(1000);
        }
        return result;
    }

    private async Task<JsonObject> VerifyOnce()
    {
        var admin = new Api(_http, new Recorder(), _clinics[0]);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var status = await admin.Send("facility_admin", HttpMethod.Get, "/api/admin/projections", null, "status");
            if (status?["projections"]?.AsArray().All(p => p!["lag"]!.GetValue<long>() == 0) == true) break;
            await Task.Delay(100);
        }

        var mismatches = new JsonArray();
        var checkedTenants = 0;
        await using var db = NpgsqlDataSource.Create(options.Database);
        foreach (var tenant in _clinics.Select(c => c.Tenant).Distinct())
        {
            checkedTenants++;
            var byType = new Dictionary<string, long>();
            await using (var cmd = db.CreateCommand("select type, count(*) from encounters.mt_events where tenant_id = $1 group by type"))
            {
                cmd.Parameters.AddWithValue(tenant);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync()) byType[reader.GetString(0)] = reader.GetInt64(1);
            }

            void Expect(string kind, string eventType)
            {
                var acknowledged = _acknowledged.GetValueOrDefault($"{tenant}|{kind}");
                var stored = byType.GetValueOrDefault(eventType);
                if (acknowledged != stored) mismatches.Add($"{tenant}: {kind} acknowledged {acknowledged}, {eventType} stored {stored}");
            }

            Expect("register patient", "patient_registered");
            Expect("plan encounter", "encounter_planned");
            Expect("place order", "lab_order_placed");
            Expect("collect sample", "specimen_collected");
            Expect("enter result", "result_entered");
            Expect("release result", "result_released");
            Expect("close encounter", "encounter_closed");

            var events = byType.Values.Sum();
            var audit = await Count(db, "select count(*) from encounters.mt_doc_auditentry where tenant_id = $1", tenant);
            if (audit != events) mismatches.Add($"{tenant}: {events} events but {audit} audit entries");
            var timelineTypes = byType.Where(t => !NotOnTimeline.Contains(t.Key)).Sum(t => t.Value);
            var timeline = await Count(db, "select count(*) from encounters.mt_doc_timelineentry where tenant_id = $1", tenant);
            if (timeline != timelineTypes) mismatches.Add($"{tenant}: {timelineTypes} timeline events but {timeline} timeline entries");
        }

        return new JsonObject { ["tenantsChecked"] = checkedTenants, ["lostWrites"] = mismatches.Count, ["mismatches"] = mismatches };
    }

    private static readonly HashSet<string> NotOnTimeline =
    [
        "patient_registered", "lab_order_items_collected", "lab_order_items_received", "lab_order_items_awaiting_recollection",
        "diagnostic_report_received", "chart_viewed", "task_claimed", "task_unclaimed", "task_completed_by_hand",
    ];

    private static async Task<long> Count(NpgsqlDataSource db, string sql, string tenant)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue(tenant);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    internal async Task<long> DatabaseSize()
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        await using var cmd = db.CreateCommand("select pg_database_size(current_database())");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private double? PeakRssMb()
    {
        if (options.ServicePid == 0) return null;
        try
        {
            var line = File.ReadLines($"/proc/{options.ServicePid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
            return line is null ? null : Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0, 1);
        }
        catch (IOException) { return null; }
    }

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 2);

    private static string Markdown(JsonObject r)
    {
        var md = new StringBuilder();
        md.AppendLine($"### Encounters benchmark — {r["at"]} — {r["machine"]}");
        md.AppendLine();
        md.AppendLine($"pgbench one-row insert: {r["pgbenchTps4"]} TPS at 4 clients, {r["pgbenchTps16"]} TPS at 16. " +
                      $"Cold start to ready: {r["coldStartMs"]} ms; first command after ready: {r["timeToFirstCommandMs"]} ms; " +
                      $"async projections running {r["projectionsRunningAfterMs"]} ms after ready.");
        md.AppendLine();
        md.AppendLine("| level | visits | commands/s | × pgbench | reads/s | cmd p50/p95/p99 ms | read p50/p95/p99 ms | lag p50/p99 ms | errors | peak RSS MB |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var l in r["levels"]!.AsArray().Append(r["halfPeak"]))
            md.AppendLine($"| {l!["name"]} | {l["visits"]} | {l["commandsPerSecond"]} | {l["ratioToPgbench"]} | {l["readsPerSecond"]} | " +
                          $"{l["commandP50Ms"]} / {l["commandP95Ms"]} / {l["commandP99Ms"]} | {l["readP50Ms"]} / {l["readP95Ms"]} / {l["readP99Ms"]} | " +
                          $"{l["projectionLagP50Ms"]} / {l["projectionLagP99Ms"]} | {l["errors"]} | {l["servicePeakRssMb"]} |");
        md.AppendLine();
        md.AppendLine("What one command costs, with its share of the reads and of the background work it caused (projections, read audits, outbox), counted until that work was done:");
        md.AppendLine();
        md.AppendLine("| level | SQL statements | transactions | service CPU ms | PostgreSQL CPU ms | load generator CPU ms | backlog drained after the load, ms |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var l in r["levels"]!.AsArray().Append(r["halfPeak"]))
            md.AppendLine($"| {l!["name"]} | {l["sqlStatementsPerCommand"]} | {l["transactionsPerCommand"]} | {l["serviceCpuMsPerCommand"]} | " +
                          $"{l["postgresCpuMsPerCommand"]} | {l["loadGeneratorCpuMsPerCommand"]} | {l["drainAfterLoadMs"]} |");
        md.AppendLine();
        md.AppendLine($"Timeline read of a 300-entry encounter: p95 {r["timeline300ReadP95Ms"]} ms. " +
                      $"PostgreSQL growth per 1,000 visits: {r["postgresBytesPer1000Visits"]!.GetValue<long>() / 1024 / 1024} MB. " +
                      $"Service peak RSS: {r["servicePeakRssMb"]} MB. " +
                      $"Verification: {r["verification"]!["tenantsChecked"]} tenants, lost writes {r["verification"]!["lostWrites"]}.");
        var perKind = r["levels"]!.AsArray().Last()!["perKind"]!.AsObject();
        md.AppendLine();
        md.AppendLine($"Per request kind at {r["levels"]!.AsArray().Last()!["name"]} (count, p50/p95/p99 ms):");
        md.AppendLine();
        md.AppendLine("| kind | count | p50 | p95 | p99 |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var (kind, k) in perKind) md.AppendLine($"| {kind} | {k!["count"]} | {k["p50"]} | {k["p95"]} | {k["p99"]} |");
        return md.ToString();
    }
}
