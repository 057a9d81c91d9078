using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Encounters.Load;

// The run's verification, sizes and report.
public sealed partial class BenchRun
{
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
        await using var db = NpgsqlDataSource.Create(Options.Database);
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
            var timelineTypes = byType.Where(t => OnTimeline.Contains(t.Key)).Sum(t => t.Value);
            var timeline = await Count(db, "select count(*) from encounters.mt_doc_timelineentry where tenant_id = $1", tenant);
            if (timeline != timelineTypes) mismatches.Add($"{tenant}: {timelineTypes} timeline events but {timeline} timeline entries");
        }

        return new JsonObject { ["tenantsChecked"] = checkedTenants, ["lostWrites"] = mismatches.Count, ["mismatches"] = mismatches };
    }

    // The timeline holds one entry per event whose type is a visit fact (IVisitFact); Marten names event types in snake case.
    private static readonly HashSet<string> OnTimeline = [.. typeof(global::Encounters.IVisitFact).Assembly.GetTypes()
        .Where(t => typeof(global::Encounters.IVisitFact).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract)
        .Select(t => System.Text.RegularExpressions.Regex.Replace(t.Name, "([a-z0-9])([A-Z])", "$1_$2").ToLowerInvariant())];

    private static async Task<long> Count(NpgsqlDataSource db, string sql, string tenant)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.AddWithValue(tenant);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    internal async Task<long> DatabaseSize()
    {
        await using var db = NpgsqlDataSource.Create(Options.Database);
        await using var cmd = db.CreateCommand("select pg_database_size(current_database())");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private double? PeakRssMb()
    {
        if (Options.ServicePid == 0) return null;
        try
        {
            var line = File.ReadLines($"/proc/{Options.ServicePid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
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
        md.AppendLine("| level | SQL statements | transactions | write transactions | WAL bytes | service CPU ms | PostgreSQL CPU ms | load generator CPU ms | backlog drained after the load, ms |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var l in r["levels"]!.AsArray().Append(r["halfPeak"]).Concat(r["openLoop"]!.AsArray()))
            md.AppendLine($"| {l!["name"]} | {l["sqlStatementsPerCommand"]} | {l["transactionsPerCommand"]} | {l["writeTransactionsPerCommand"]} | " +
                          $"{l["walBytesPerCommand"]} | {l["serviceCpuMsPerCommand"]} | " +
                          $"{l["postgresCpuMsPerCommand"]} | {l["loadGeneratorCpuMsPerCommand"]} | {l["drainAfterLoadMs"]} |");
        md.AppendLine();
        md.AppendLine($"Timeline read of a 300-entry encounter: p95 {r["timeline300ReadP95Ms"]} ms. " +
                      $"PostgreSQL growth per 1,000 visits: {r["postgresBytesPer1000Visits"]!.GetValue<long>() / 1024 / 1024} MB. " +
                      $"Service peak RSS: {r["servicePeakRssMb"]} MB. " +
                      $"Verification: {r["verification"]!["tenantsChecked"]} tenants, lost writes {r["verification"]!["lostWrites"]}.");
        md.AppendLine();
        md.Append(CostMarkdown(r));
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
