using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Encounters.Observability;

/// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and its database does too.</summary>
public static class Health
{
    public static void MapHealth(this WebApplication app)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/health/ready", async (NpgsqlDataSource db, CancellationToken ct) =>
        {
            try
            {
                await using var command = db.CreateCommand("select 1");
                await command.ExecuteScalarAsync(ct);
                return Results.Ok(new { status = "ready" });
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return Results.Problem(statusCode: 503, title: "The database is not reachable.");
            }
        }).ExcludeFromDescription();
    }
}
