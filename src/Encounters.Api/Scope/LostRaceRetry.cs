using JasperFx;
using Npgsql;

namespace Encounters.Scope;

/// <summary>
/// A command that loses an optimistic race (another request appended to one of its streams between its load and
/// its commit) is loaded and decided again, a few times, inside the service. Independent commands on one stream
/// (eight nurses collecting the eight items of one order) then all succeed, and a genuinely conflicting one is
/// refused by its own rule on the fresh state. With <c>If-Match</c> the client pinned a version: no retry, 412.
/// The whole command re-runs in a fresh transaction, so its idempotency claim and events commit at most once.
/// </summary>
public sealed class LostRaceRetry(RequestDelegate next, ILogger<LostRaceRetry> logger)
{
    public const int MaxAttempts = 10;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Headers.IfMatch.Count > 0)
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await next(context);
                return;
            }
            catch (Exception e) when (attempt < MaxAttempts && IsLostRace(e) && !context.Response.HasStarted)
            {
                logger.LogInformation("Lost an optimistic race on {Path} (attempt {Attempt}); deciding again", context.Request.Path, attempt);
                context.Response.Clear();
                context.Request.Body.Position = 0;
                // Jittered and growing, so that racers spread out instead of colliding again.
                await Task.Delay(Random.Shared.Next(1, 20 * attempt), context.RequestAborted);
            }
        }
    }

    /// <summary>
    /// A stream version check failed (Marten's concurrency exception or the (stream, version) key of mt_events), or two
    /// requests started the same stream (the first claim of a task): deciding again sees the winner's events.
    /// </summary>
    public static bool IsLostRace(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException) return true;
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "mt_events" }) return true;
        }

        return false;
    }
}
