using System.Text.Json.Nodes;
using Npgsql;

namespace Encounters.Load;

/// <summary>
/// Bytes on disk per table group of a schema: heap (pg_table_size: heap, TOAST, free-space and visibility maps) and indexes
/// (pg_indexes_size). The difference of two snapshots per 1,000 visits is where the storage of a visit goes.
/// </summary>
public sealed record Storage(Dictionary<string, (long Heap, long Indexes)> Groups)
{
    public static string Group(string table) => table switch
    {
        "mt_events" or "events" => "events",
        "mt_streams" or "streams" => "event streams",
        "mt_doc_auditentry" => "audit trail",
        "mt_doc_timelineentry" => "timeline",
        "mt_doc_worktask" => "tasks",
        "wolverine_deduplicated_responses" or "idempotency" => "idempotency records",
        _ when table.StartsWith("wolverine_") => "Wolverine envelopes (inbox, outbox, dead letters, nodes)",
        "views" => "view",
        _ when table.StartsWith("mt_doc_") => "other documents (inline read models, snapshots, lookups)",
        _ => "Marten bookkeeping (progression, locks, ...)",
    };

    public static async Task<Storage> Take(string database, string schema)
    {
        await using var db = NpgsqlDataSource.Create(database);
        await using var cmd = db.CreateCommand("""
            select c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relkind in ('r', 'p')
            """);
        cmd.Parameters.AddWithValue(schema);
        var groups = new Dictionary<string, (long Heap, long Indexes)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (heap, indexes) = groups.GetValueOrDefault(Group(reader.GetString(0)));
            groups[Group(reader.GetString(0))] = (heap + reader.GetInt64(1), indexes + reader.GetInt64(2));
        }
        return new Storage(groups);
    }

    /// <summary>MB per 1,000 visits (= KB per visit) of each group since <paramref name="before"/>, with the total.</summary>
    public JsonObject PerThousandVisits(Storage before, long visits)
    {
        double Mb(long bytes) => visits == 0 ? 0 : Math.Round(bytes * 1000.0 / visits / 1024 / 1024, 2);
        var result = new JsonObject();
        long heapTotal = 0, indexTotal = 0;
        foreach (var (group, (heap, indexes)) in Groups.OrderByDescending(g => g.Value.Heap + g.Value.Indexes))
        {
            var (heap0, indexes0) = before.Groups.GetValueOrDefault(group);
            (heapTotal, indexTotal) = (heapTotal + heap - heap0, indexTotal + indexes - indexes0);
            result[group] = new JsonObject { ["heapMb"] = Mb(heap - heap0), ["indexMb"] = Mb(indexes - indexes0) };
        }
        result["total"] = new JsonObject { ["heapMb"] = Mb(heapTotal), ["indexMb"] = Mb(indexTotal) };
        return result;
    }
}
