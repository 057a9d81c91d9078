using JasperFx.Resources;
using Npgsql;

namespace Encounters;

/// <summary>
/// Creates or updates the schema (Marten's and Wolverine's tables) at start, one node at a time. Several nodes
/// started at once on an empty database each ran the setup concurrently, and PostgreSQL's
/// <c>CREATE ... IF NOT EXISTS</c> is not atomic: make chaos saw 2 of 3 nodes fail with 42P07. The setup is
/// JasperFx's own (what <c>resources setup</c> runs), wrapped in a PostgreSQL advisory lock: the next node
/// finds nothing left to do. Deployments should still run <c>resources setup</c> once before the nodes.
/// </summary>
public static class SchemaSetup
{
    /// <summary>Advisory lock key ("Encounters schema"), distinct from Marten's 4004 and Wolverine's 4006.</summary>
    public const long LockKey = 0x456E_6353_6368_656D;

    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    public static void AddSerializedSchemaSetup(this IServiceCollection services)
    {
        services.AddSingleton(new ResourceSetupOptions { Action = StartupAction.SetupOnly });
        services.AddSingleton<ResourceSetupHostService>();
        // First of the hosted services, like AddResourceSetupOnStartup: Wolverine's runtime and the projection
        // agents start against a finished schema.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, Serialized>());
    }

    private sealed class Serialized(NpgsqlDataSource db, ResourceSetupHostService setup, ILogger<ResourceSetupHostService> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken ct)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!await Scalar<bool>(connection, "select pg_try_advisory_lock($1)", ct))
            {
                if (waited.Elapsed > MaxWait)
                    throw new TimeoutException($"Another node held the schema lock for {MaxWait.TotalMinutes} minutes.");
                await Task.Delay(250, ct);
            }
            if (waited.Elapsed > TimeSpan.FromSeconds(1))
                logger.LogInformation("Waited {Seconds:F1} s for another node's schema setup", waited.Elapsed.TotalSeconds);

            try
            {
                await setup.StartAsync(ct);
            }
            finally
            {
                // Pooled connections are not reset on close (No Reset On Close): unlock explicitly.
                await Scalar<bool>(connection, "select pg_advisory_unlock($1)", CancellationToken.None);
            }
        }

        public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

        private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
        {
            await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = LockKey } } };
            return (T)(await command.ExecuteScalarAsync(ct))!;
        }
    }
}
