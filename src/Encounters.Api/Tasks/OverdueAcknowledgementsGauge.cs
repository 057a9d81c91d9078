using Encounters.Observability;
using Npgsql;

namespace Encounters.Tasks;

/// <summary>
/// The gauge of released critical results whose acknowledgement is overdue: the open acknowledgement tasks past their
/// due time, per tenant and facility, across tenants.
/// </summary>
public sealed class OverdueAcknowledgementsGauge : IGaugeSource
{
    public async Task SampleAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select tenant_id, facility_id, count(*) from {Persistence.Schema}.mt_doc_worktask " +
            "where kind = $1 and status = $2 and (data ->> 'DueAt')::timestamptz < $3 group by 1, 2 order by 1, 2", connection)
        {
            Parameters = { new() { Value = TaskKinds.AcknowledgeCritical }, new() { Value = TaskStatuses.Open }, new() { Value = now } },
        };
        var overdue = new List<OverdueAcknowledgements>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) overdue.Add(new OverdueAcknowledgements(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        BusinessMetrics.OverdueCriticalAcknowledgements = overdue;
    }
}
