using System.Text.Json.Nodes;
using Npgsql;

namespace Encounters.Load;

/// <summary>What a phase reads from PostgreSQL's own statistics: statements, buffers by relation, plumbing row counts, index depth.</summary>
public sealed partial class PreloadComparison
{
    /// <summary>A statement's totals: buffers touched, of them read from outside the cache, and its WAL (bytes, full-page images).</summary>
    private record Statement(string Query, long Calls, double TotalMs, long Buffers, long Read, long WalBytes, long WalFpi);

    private async Task<Dictionary<long, Statement>> Statements()
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        await using var cmd = db.CreateCommand("""
            select queryid, left(regexp_replace(query, '\s+', ' ', 'g'), 150), calls, total_exec_time, shared_blks_hit + shared_blks_read,
                   shared_blks_read, wal_bytes::bigint, wal_fpi
            from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) and queryid is not null
            """);
        var result = new Dictionary<long, Statement>();
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                result[reader.GetInt64(0)] = new(reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetInt64(4),
                    reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { }
        return result;
    }

    /// <summary>The ten statements with the most of <paramref name="rank"/> (time, buffers, buffers per call) between two snapshots.</summary>
    private static JsonArray Top(Dictionary<long, Statement> before, Dictionary<long, Statement> after, Func<Statement, double> rank) => new([
        .. after.Select(a => (a.Value, Old: before.GetValueOrDefault(a.Key)))
            .Select(x => new Statement(x.Value.Query, x.Value.Calls - (x.Old?.Calls ?? 0), x.Value.TotalMs - (x.Old?.TotalMs ?? 0),
                x.Value.Buffers - (x.Old?.Buffers ?? 0),
                x.Value.Read - (x.Old?.Read ?? 0), x.Value.WalBytes - (x.Old?.WalBytes ?? 0), x.Value.WalFpi - (x.Old?.WalFpi ?? 0)))
            .Where(s => s.Calls > 0).OrderByDescending(rank).Take(10)
            .Select(s => (JsonNode)new JsonObject
            {
                ["query"] = s.Query, ["calls"] = s.Calls, ["totalMs"] = Math.Round(s.TotalMs, 1),
                ["msPerCall"] = Math.Round(s.TotalMs / s.Calls, 3), ["buffersPerCall"] = Math.Round((double)s.Buffers / s.Calls, 1),
                ["readPerCall"] = Math.Round((double)s.Read / s.Calls, 2), ["walBytesPerCall"] = s.WalBytes / s.Calls,
                ["walFullPagesPerCall"] = Math.Round((double)s.WalFpi / s.Calls, 2),
            }),
    ]);

    /// <summary>
    /// Shared buffers read by each table (heap and TOAST) and each index, from pg_statio, counting every backend: where a
    /// phase's buffers per command go, relation by relation, and so which of them grow with the data.
    /// </summary>
    private async Task<Dictionary<string, long>> RelationBuffers()
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        await using var cmd = db.CreateCommand("""
            select relname, coalesce(heap_blks_hit, 0) + coalesce(heap_blks_read, 0) + coalesce(toast_blks_hit, 0) + coalesce(toast_blks_read, 0)
              + coalesce(tidx_blks_hit, 0) + coalesce(tidx_blks_read, 0) from pg_statio_user_tables where schemaname = 'encounters'
            union all
            select indexrelname, coalesce(idx_blks_hit, 0) + coalesce(idx_blks_read, 0) from pg_statio_user_indexes where schemaname = 'encounters'
            """);
        var result = new Dictionary<string, long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetInt64(1);
        return result;
    }

    private static JsonObject PerCommand(Dictionary<string, long> before, Dictionary<string, long> after, JsonNode level)
    {
        var commands = level["commandsPerSecond"]!.GetValue<double>() * level["seconds"]!.GetValue<double>();
        return new JsonObject(after.Select(a => (a.Key, Value: a.Value - before.GetValueOrDefault(a.Key)))
            .Where(x => x.Value > 0).OrderByDescending(x => x.Value)
            .Select(x => KeyValuePair.Create(x.Key, (JsonNode?)Math.Round(x.Value / Math.Max(commands, 1), 2))));
    }

    private async Task<JsonObject> PlumbingRows()
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        var rows = new JsonObject();
        foreach (var (name, sql) in new[]
                 {
                     ("handledInboxEnvelopes", "select count(*) from encounters.wolverine_incoming_envelopes where status = 'Handled'"),
                     ("inboxEnvelopes", "select count(*) from encounters.wolverine_incoming_envelopes"),
                     ("storedIdempotentResponses", "select count(*) from encounters.wolverine_deduplicated_responses"),
                     ("deadLetters", "select count(*) from encounters.wolverine_dead_letters"),
                 })
        {
            await using var cmd = db.CreateCommand(sql);
            rows[name] = (long)(await cmd.ExecuteScalarAsync())!;
        }
        return rows;
    }

    /// <summary>
    /// The depth of every btree index of the tables a command writes (pageinspect's bt_metap: levels above the leaves).
    /// A descent reads one page per level plus the leaf, so one more level is one more buffer for every index a command
    /// reads or writes: the part of buffers per command that grows with the log of the data, not with scans of it.
    /// </summary>
    private async Task<JsonObject> BtreeLevels()
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        await using var cmd = db.CreateCommand("""
            select i.relname, (bt_metap(n.nspname || '.' || i.relname)).level
            from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid
              join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'encounters' and i.relam = (select oid from pg_am where amname = 'btree')
              and (c.relname like 'mt_doc_%' or c.relname in ('mt_events', 'mt_streams'))
            order by 1
            """);
        var levels = new JsonObject();
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) levels[reader.GetString(0)] = reader.GetInt32(1);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedFunction) { } // no pageinspect
        return levels;
    }
}
