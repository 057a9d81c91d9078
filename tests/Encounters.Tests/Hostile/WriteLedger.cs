using Marten;
using Npgsql;

namespace Encounters.Tests.Hostile;

/// <summary>
/// What one tenant has written: rows of the event store and, per document table, rows and the latest
/// modification. Equal snapshots before and after a refused request mean it wrote nothing.
/// </summary>
public sealed class WriteLedger(string connectionString, string tenant) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);
    private string? _sql;

    public async Task<string> SnapshotAsync()
    {
        _sql ??= await BuildSql();
        await using var command = _db.CreateCommand(_sql);
        command.Parameters.AddWithValue(tenant);
        await using var reader = await command.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await reader.ReadAsync()) parts.Add($"{reader.GetString(0)}={reader.GetInt64(1)}@{reader.GetString(2)}");
        return string.Join(" ", parts);
    }

    private async Task<string> BuildSql()
    {
        await using var command = _db.CreateCommand(
            "select t.table_name, exists(select 1 from information_schema.columns c where c.table_schema = t.table_schema " +
            "and c.table_name = t.table_name and c.column_name = 'mt_last_modified') from information_schema.tables t " +
            "where t.table_schema = @schema and (t.table_name in ('mt_events', 'mt_streams') or t.table_name like 'mt\\_doc\\_%') " +
            "and exists(select 1 from information_schema.columns c where c.table_schema = t.table_schema and c.table_name = t.table_name " +
            "and c.column_name = 'tenant_id') order by t.table_name");
        command.Parameters.AddWithValue("schema", Persistence.Schema);
        var selects = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (table, modified) = (reader.GetString(0), reader.GetBoolean(1));
            selects.Add($"select '{table}', count(*), {(modified ? "coalesce(max(mt_last_modified)::text, '')" : "''")} " +
                        $"from {Persistence.Schema}.{table} where tenant_id = $1");
        }
        return string.Join(" union all ", selects);
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
