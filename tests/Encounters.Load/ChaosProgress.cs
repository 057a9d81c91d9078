using System.Diagnostics;
using Npgsql;

namespace Encounters.Load;

/// <summary>make chaos: how far each async projection has got, read from mt_event_progression.</summary>
public static class ChaosProgress
{
    /// <summary>Milliseconds until every async projection has reached the newest event (null: not within 120 s).</summary>
    public static async Task<double?> CatchUp(string database)
    {
        await using var db = NpgsqlDataSource.Create(database);
        var started = Stopwatch.GetTimestamp();
        var lastReport = TimeSpan.Zero;
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(120))
        {
            if (await Progress(db) is var (newest, shards, slowest))
            {
                if (slowest >= newest)
                {
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Console.Error.WriteLine($"chaos: caught up after {ms:F0} ms at event {newest}; {shards}; {await Missing(db)} sequence numbers never used (gaps)");
                    return ms;
                }
                if (Stopwatch.GetElapsedTime(started) - lastReport > TimeSpan.FromSeconds(1))
                {
                    lastReport = Stopwatch.GetElapsedTime(started);
                    Console.Error.WriteLine($"chaos: +{lastReport.TotalSeconds:F0}s after the load: newest event {newest}; {shards}");
                }
            }
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>The projections' progress every 5 s during the load (stderr), to see which one stalls when.</summary>
    public static async Task Watch(string database, CancellationToken over)
    {
        await using var db = NpgsqlDataSource.Create(database);
        var started = Stopwatch.GetTimestamp();
        while (!over.IsCancellationRequested)
        {
            try { await Task.Delay(5000, over); } catch (OperationCanceledException) { return; }
            if (await Progress(db) is var (newest, shards, _))
                Console.Error.WriteLine($"chaos: {Stopwatch.GetElapsedTime(started).TotalSeconds:F0}s into the load: newest event {newest}; {shards}");
        }
    }

    /// <summary>Chart-read audits are durable messages handled after the response: waits (up to 90 s) until all are recorded.</summary>
    public static async Task<long> ChartReadsAudited(string database, long expected)
    {
        await using var db = NpgsqlDataSource.Create(database);
        await using var cmd = db.CreateCommand("select count(*) from encounters.mt_events where type = 'chart_viewed' and tenant_id like 'chaos-%'");
        var started = Stopwatch.GetTimestamp();
        long audited;
        while ((audited = (long)(await cmd.ExecuteScalarAsync())!) < expected && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(90))
            await Task.Delay(250);
        return audited;
    }

    private static async Task<long> Missing(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("select coalesce(max(seq_id) - count(*), 0) from encounters.mt_events");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    // Every async projection shard, so that one that never started counts as behind.
    private static readonly string[] Projections = ["AuditTrail:All", "EncounterTimeline:All", "WorkTasks:All"];

    private static async Task<(long Newest, string Shards, long Slowest)?> Progress(NpgsqlDataSource db)
    {
        try
        {
            await using var cmd = db.CreateCommand("""
                select (select coalesce(max(seq_id), 0) from encounters.mt_events),
                       string_agg(shard || '=' || coalesce(p.last_seq_id::text, 'not started'), ' ' order by shard) || ' HighWaterMark=' ||
                         coalesce((select last_seq_id from encounters.mt_event_progression where name = 'HighWaterMark')::text, '-'),
                       min(coalesce(p.last_seq_id, -1))
                from unnest($1::text[]) as shard left join encounters.mt_event_progression p on p.name = shard
                """);
            cmd.Parameters.AddWithValue(Projections);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetInt64(2));
        }
        catch (NpgsqlException)
        {
            return null; // PostgreSQL is being restarted
        }
    }
}
