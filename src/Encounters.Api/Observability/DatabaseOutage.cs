using System.Net.Sockets;
using Npgsql;

namespace Encounters.Observability;

/// <summary>
/// The database is down or restarting: the request may well succeed a moment later on any node, so it is a
/// 503 with <c>Retry-After</c>, not a 500 (make chaos saw 54 of those while PostgreSQL restarted).
/// </summary>
public static class DatabaseOutage
{
    public const int RetryAfterSeconds = 2;

    /// <summary>True for a lost or refused connection and for PostgreSQL shutting down, starting up or full.</summary>
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 08: connection exceptions; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08") || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300";
                case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// For the projection daemon: a shard paused by a transient failure is restarted by Wolverine, any other one is
    /// left paused for an operator. A shard whose update batch was cut off by a PostgreSQL restart failed with
    /// "A task was canceled", which is not a database error: make chaos saw EncounterTimeline stay paused for good.
    /// </summary>
    public static bool? IsTransientShardFailure(Exception e) => Is(e) || e is OperationCanceledException ? true : null;

    public static ProblemDetails Problem() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "The service is temporarily unavailable.",
        Detail = $"The database cannot be reached. Retry in {RetryAfterSeconds} s, with the same Idempotency-Key for a command.",
        Extensions = { ["code"] = "service.unavailable" },
    };

    public static void AddRetryAfter(HttpResponse response) =>
        response.Headers.RetryAfter = RetryAfterSeconds.ToString();
}
