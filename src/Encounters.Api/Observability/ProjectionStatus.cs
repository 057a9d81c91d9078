using Encounters.Audit;
using Npgsql;

namespace Encounters.Observability;

/// <summary>How far an asynchronous projection is behind on the caller's tenant: its events not yet processed.</summary>
public record ProjectionPosition(string Name, long Lag, bool CaughtUp);

public record ProjectionsStatus(IReadOnlyList<ProjectionPosition> Projections);

public static class ProjectionStatusEndpoint
{
    /// <summary>
    /// Where each asynchronous projection stands for this tenant: how many of the tenant's events it has still to
    /// process. Store-wide positions are not shown: they would reveal other tenants' activity.
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/admin/projections", Name = "GetProjectionStatus"), Authorize(Actions.ReadProjections)]
    public static async Task<ProjectionsStatus> Get(IDocumentStore store, NpgsqlDataSource db, CurrentScope scope, CancellationToken ct)
    {
        var progress = (await store.Advanced.AllProjectionProgress(token: ct)).Where(p => p.ShardName != "HighWaterMark").ToList();
        var positions = new List<ProjectionPosition>();
        await using var connection = await db.OpenConnectionAsync(ct);
        foreach (var shard in progress.OrderBy(p => p.ShardName))
        {
            await using var behind = new NpgsqlCommand(
                $"select count(*) from {Persistence.Schema}.mt_events where seq_id > $1 and tenant_id = $2", connection)
            {
                Parameters = { new() { Value = shard.Sequence }, new() { Value = scope.TenantId } }
            };
            var lag = (long)(await behind.ExecuteScalarAsync(ct))!;
            positions.Add(new ProjectionPosition(shard.ShardName, lag, lag == 0));
        }

        return new ProjectionsStatus(positions);
    }
}
