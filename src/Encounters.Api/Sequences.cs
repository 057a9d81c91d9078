using Weasel.Postgresql.Tables;

namespace Encounters;

/// <summary>
/// Gap-free counters (MRNs, accession numbers). The increment runs inside the caller's Marten
/// transaction and holds the counter row's lock until commit, so numbers are unique under
/// concurrency and a rolled-back command gives its number back.
/// </summary>
public static class Sequences
{
    private const string Table = Persistence.Schema + ".counters";

    public static void Configure(StoreOptions opts)
    {
        var table = new Table(Table);
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<string>("name").AsPrimaryKey();
        table.AddColumn<long>("value").NotNull();
        opts.Storage.ExtendedSchemaObjects.Add(table);
    }

    public static async Task<long> NextAsync(IDocumentSession session, string name, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var values = await session.AdvancedSql.QueryAsync<long>(
            $"insert into {Table} as c (tenant_id, name, value) values (?, ?, 1) " +
            "on conflict (tenant_id, name) do update set value = c.value + 1 returning c.value",
            ct, session.TenantId, name);
        return values[0];
    }
}
