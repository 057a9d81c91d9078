using Npgsql;

namespace Encounters.Observability;

/// <summary>A module's part of the gauges: it reads the store and sets its own <see cref="BusinessMetrics"/> sample.</summary>
public interface IGaugeSource
{
    Task SampleAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken ct);
}

/// <summary>
/// Takes the store-wide state the gauges show (<see cref="BusinessMetrics"/>) every <c>Metrics:SampleSeconds</c> (30):
/// a few small queries per node, instead of some per metrics scrape.
/// </summary>
public sealed class OperationalGauges(NpgsqlDataSource db, TimeProvider clock, IEnumerable<IGaugeSource> sources, IConfiguration configuration,
    ILogger<OperationalGauges> logger)
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
        BusinessMetrics.ProjectionLag = await LagAsync(connection, ct);
        BusinessMetrics.DeadLetters = await DeadLettersAsync(connection, ct);
        foreach (var source in sources) await source.SampleAsync(connection, clock.GetUtcNow(), ct);
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

    private static async Task<long> DeadLettersAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select count(*) from {Persistence.Schema}.wolverine_dead_letters where archived_at is null", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
