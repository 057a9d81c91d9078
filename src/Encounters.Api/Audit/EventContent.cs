using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Encounters.Audit;

/// <summary>
/// What an audit entry vouches for: the event row exactly as PostgreSQL stores it (jsonb renders one canonical text),
/// read by the audit projection when it chains the event and again by verify, so an edited row no longer matches.
/// </summary>
public static class EventContent
{
    // Time as microseconds since the epoch (the session's time zone cannot change it), or 'infinity' as PostgreSQL spells it.
    private const string Columns = "seq_id, type, stream_id, version, " +
        "case when isfinite(timestamp) then ((extract(epoch from timestamp) * 1000000)::bigint)::text else timestamp::text end, " +
        "data::text, coalesce(headers::text, '')";

    public record Row(long Sequence, Guid StreamId, long Version, string Hash);

    public static NpgsqlCommand BySequence(NpgsqlConnection connection, long[] sequences) =>
        new($"select {Columns} from {Persistence.Schema}.mt_events where seq_id = any($1)", connection)
        {
            Parameters = { new() { Value = sequences } }
        };

    /// <summary>A tenant's events in order, from a sequence to another (inclusive); tombstones fill gaps and belong to no one.</summary>
    public static NpgsqlCommand OfTenant(NpgsqlConnection connection, string tenantId, long from, long to) =>
        new($"select {Columns} from {Persistence.Schema}.mt_events where tenant_id = $1 and seq_id between $2 and $3 " +
            "and type <> 'tombstone' order by seq_id", connection)
        {
            Parameters = { new() { Value = tenantId }, new() { Value = from }, new() { Value = to } }
        };

    public static Row Read(NpgsqlDataReader reader)
    {
        var canonical = string.Join('\u001f', reader.GetString(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
            reader.GetString(5), reader.GetString(6));
        return new(reader.GetInt64(0), reader.GetGuid(2), reader.GetInt64(3),
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
    }

    public static async Task<Dictionary<long, Row>> LoadAsync(NpgsqlDataSource db, long[] sequences, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = BySequence(connection, sequences);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new Dictionary<long, Row>();
        while (await reader.ReadAsync(ct)) rows[reader.GetInt64(0)] = Read(reader);
        return rows;
    }
}
