using Encounters.Audit;

namespace Encounters.Observability;

public record ProjectionPosition(string Name, long Position, long Lag);

public record ProjectionsStatus(long HighestEventSequence, IReadOnlyList<ProjectionPosition> Projections);

public static class ProjectionStatusEndpoint
{
    /// <summary>
    /// Where each asynchronous projection stands: the last event sequence it has processed, and how many
    /// events it is behind the newest one.
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/admin/projections", Name = "GetProjectionStatus"), Authorize(Actions.ReadProjections)]
    public static async Task<ProjectionsStatus> Get(IDocumentStore store, CancellationToken ct)
    {
        var statistics = await store.Advanced.FetchEventStoreStatistics(token: ct);
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var highest = statistics.EventSequenceNumber;
        return new ProjectionsStatus(highest, progress
            .Where(p => p.ShardName != "HighWaterMark")
            .Select(p => new ProjectionPosition(p.ShardName, p.Sequence, Math.Max(0, highest - p.Sequence)))
            .OrderBy(p => p.Name)
            .ToList());
    }
}
