using Encounters.Tasks;
using Npgsql;

namespace Encounters.Observability;

/// <summary>
/// Takes the store-wide state the gauges show (<see cref="BusinessMetrics"/>) every <c>Metrics:SampleSeconds</c> (30):
/// three small queries per node, instead of one per metrics scrape.
/// </summary>
public sealed class OperationalGauges(NpgsqlDataSource db, TimeProvider clock, IConfiguration configuration, ILogger<OperationalGauges> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(configuration.GetValue("Metrics:SampleSeconds", 30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The last sample stays; a database outage shows in /health/ready and in the request metrics.
                logger.LogWarning(e, "Could not sample the operational gauges");
            }

            await Task.Delay(every, clock, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    public async Task SampleAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        BusinessMetrics.Latest = new OperationalSample(clock.GetUtcNow(), await OverdueAsync(connection, ct),
            await LagAsync(connection, ct), await DeadLettersAsync(connection, ct));
    }

    /// <summary>How far each asynchronous projection is behind the newest stored event, store-wide.</summary>
    public static async Task<List<ProjectionLag>> LagAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select p.name, greatest(coalesce((select max(seq_id) from {Persistence.Schema}.mt_events), 0) - p.last_seq_id, 0) " +
            $"from {Persistence.Schema}.mt_event_progression p where p.name not like 'HighWater%' order by p.name", connection);
        var lag = new List<ProjectionLag>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) lag.Add(new ProjectionLag(reader.GetString(0), reader.GetInt64(1)));
        return lag;
    }

    private async Task<List<OverdueAcknowledgements>> OverdueAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // The task list's own record of the acknowledgement (Tasks/WorkTask.cs), across tenants.
        await using var command = new NpgsqlCommand(
            $"select tenant_id, data ->> 'FacilityId', count(*) from {Persistence.Schema}.mt_doc_worktask " +
            "where data ->> 'Kind' = $1 and data ->> 'Status' = $2 and (data ->> 'DueAt')::timestamptz < $3 group by 1, 2 order by 1, 2", connection)
        {
            Parameters = { new() { Value = TaskKinds.AcknowledgeCritical }, new() { Value = TaskStatuses.Open }, new() { Value = clock.GetUtcNow() } },
        };
        var overdue = new List<OverdueAcknowledgements>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) overdue.Add(new OverdueAcknowledgements(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        return overdue;
    }

    private static async Task<long> DeadLettersAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select count(*) from {Persistence.Schema}.wolverine_dead_letters where archived_at is null", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
