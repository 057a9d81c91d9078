using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Encounters.Observability;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and its database does too.</summary>
public static class Health
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", async (NpgsqlDataSource db, HttpResponse response, CancellationToken ct) =>
        {
            // A probe must answer within its own timeout, not Npgsql's 15 s connect timeout.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await using var command = db.CreateCommand("select 1");
                await command.ExecuteScalarAsync(timeout.Token);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                DatabaseOutage.AddRetryAfter(response);
                return Results.Problem(statusCode: 503, title: "The database is not reachable.",
                    extensions: new Dictionary<string, object?> { ["code"] = "service.unavailable" });
            }
        }).ExcludeFromDescription();
    }
}
