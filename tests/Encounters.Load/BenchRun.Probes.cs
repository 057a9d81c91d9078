using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Encounters.Load;

// What the run does beside the measured load: the warm-up, lag, drain and the 300-entry timeline.
public sealed partial class BenchRun
{
    /// <summary>
    /// An unreported level before the measured ones: a node serves for days, and its first minute pays the JIT's tiers
    /// (the 06:02 run, service CPU per second at 50-150 commands/s fell from 1,165 ms in the first level to 570 ms 70 s later).
    /// </summary>
    internal async Task WarmUp()
    {
        if (options.WarmUpSeconds <= 0) return;
        await Level("warm-up", 16, null, options.WarmUpSeconds);
        _totalVisits = 0; // storage per visit counts the measured levels' visits against the growth after them
        // What autovacuum does in a steady state, done before the levels rather than inside one of them: the warm-up's rows
        // otherwise crossed its thresholds mid-level (the 06:22 run's 100 commands/s level: PostgreSQL CPU 9.9 ms, p99 539 ms).
        await VacuumAnalyze();
    }

    /// <summary>VACUUM ANALYZE of the whole database, so that autovacuum's pass over fresh rows lands outside a measured phase.</summary>
    internal async Task VacuumAnalyze() => await Execute("vacuum analyze");

    /// <summary>
    /// A checkpoint, so that a measured phase starts from one: the first change of a page after a checkpoint writes the whole
    /// page to the WAL, so a checkpoint that happened to fall inside one phase and not the other moved its WAL and CPU.
    /// </summary>
    internal async Task Checkpoint() => await Execute("checkpoint");

    private async Task Execute(string sql)
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        await using var command = db.CreateCommand(sql);
        command.CommandTimeout = 1800;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Projection lag, measured from outside: record vitals on a probe encounter, then poll its timeline
    /// until the entry shows up. Runs alongside the load.
    /// </summary>
    private async Task ProbeLag(Recorder level, CancellationToken stop)
    {
        var probeRecorder = new Recorder();
        var api = new Api(_http, probeRecorder, new Clinic("bench-probe", "clinic-1", Options.SigningKey));
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
                var timeline = await api.Send("clinician", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?kind=vitals&pageSize=1&count=true", null, "probe read");
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
        await using var db = NpgsqlDataSource.Create(Options.Database);
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
        var api = new Api(_http, recorder, new Clinic("bench-probe", "clinic-1", Options.SigningKey));
        var encounter = await StartProbeEncounter(api);
        for (var i = 0; i < 298; i++)
            await api.Send("nurse", HttpMethod.Post, $"/api/encounters/{encounter}/vitals", new { pulse = 60 + i % 40 }, "fill");
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var timeline = await api.Send("clinician", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?pageSize=1&count=true", null, "wait");
            if (timeline?["total"]?.GetValue<long>() >= 300) break;
            await Task.Delay(100);
        }

        // The read is timed on a quiet service: the probe's own 298 writes (and, after a level, its backlog) still being
        // projected made the p95 of 180 reads swing 0.83-1.37x between two runs of the same 50,000-visit comparison.
        await Drain();
        const int warm = 50, timed = 500;
        var times = new List<double>();
        for (var i = 0; i < warm + timed; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await api.Send("clinician", HttpMethod.Get, $"/api/encounters/{encounter}/timeline?pageSize=300", null, "timeline 300");
            if (page?["items"]?.AsArray().Count >= 300 && i >= warm) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        // Only full 300-entry reads count: a failed or short read is not the figure (reported, not averaged in).
        if (times.Count < timed || recorder.Errors.Count > 0)
            Console.Error.WriteLine($"bench: timeline probe: {times.Count} of {timed} reads held 300 entries; {recorder.Errors.FirstOrDefault()}");
        return times.Count > timed / 2 ? Stats.Percentile(times, 0.95) : -1; // -1: not measured
    }

    /// <summary>
    /// Every acknowledged write must be in the event store, and (once the daemon has caught up) in the
    /// timeline and the audit trail: counts per tenant must match.
    /// </summary>
}
