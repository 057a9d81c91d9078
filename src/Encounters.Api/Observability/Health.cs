using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Encounters.Observability;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: its database does too (else 503 with Retry-After), and
/// how far the asynchronous projections are behind (degraded past <c>Health:ProjectionLagDegraded</c> events, still 200:
/// commands work while the timeline, task list and audit trail catch up).
/// </summary>
public static class Health
{
    private const string Ready = "ready";

    public static void AddHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<ProjectionLagCheck>("projections", tags: [Ready]);

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status == HealthStatus.Unhealthy)
        {
            DatabaseOutage.AddRetryAfter(context.Response);
            return Results.Problem(statusCode: 503, title: "The service is not ready.", detail: Describe(report),
                extensions: new Dictionary<string, object?> { ["code"] = "service.unavailable" }).ExecuteAsync(context);
        }

        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web));
    }

    private static string Describe(HealthReport report) =>
        string.Join(" ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => $"{e.Key}: {e.Value.Description}"));

    /// <summary>A probe must answer within its own timeout, not Npgsql's 15 s connect timeout.</summary>
    private sealed class DatabaseCheck(NpgsqlDataSource db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await using var command = db.CreateCommand("select 1");
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy("reachable");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                return HealthCheckResult.Unhealthy("The database is not reachable.");
            }
        }
    }

    private sealed class ProjectionLagCheck(NpgsqlDataSource db, IConfiguration configuration) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            var limit = configuration.GetValue("Health:ProjectionLagDegraded", Requests.Limits.ProjectionLagDegraded);
            try
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                var lag = await OperationalGauges.LagAsync(connection, ct);
                var behind = lag.Where(p => p.Lag > limit).ToList();
                var text = string.Join(", ", lag.Select(p => $"{p.Name} {p.Lag}"));
                return behind.Count == 0
                    ? HealthCheckResult.Healthy($"events behind: {text}")
                    : HealthCheckResult.Degraded($"more than {limit} events behind: {string.Join(", ", behind.Select(p => $"{p.Name} {p.Lag}"))}");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or PostgresException)
            {
                // The database check reports the outage; this one only says it could not look.
                return HealthCheckResult.Degraded("Projection progress could not be read.");
            }
        }
    }
}
