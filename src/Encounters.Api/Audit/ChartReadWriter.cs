using System.Collections.Concurrent;
using System.Threading.Channels;
using Encounters.Scope;

namespace Encounters.Audit;

/// <summary>
/// Group commit of chart-read audits. A read's response still waits until its <see cref="ChartViewed"/> events are
/// committed, but reads of one tenant that arrive while a commit is under way share the next transaction instead of
/// paying one each (make bench, issue 18). Each read keeps its own stream and its own metadata. Nothing waits to fill a
/// batch: a lone read is written at once. Only in-flight requests are held here, never state another node needs.
/// </summary>
public sealed class ChartReadWriter(IDocumentStore store)
{
    /// <summary>At most this many reads share a transaction (a bound on one statement batch).</summary>
    private const int MaxReads = 64;

    private readonly ConcurrentDictionary<string, Lazy<ChannelWriter<Pending>>> _tenants = new();

    private sealed record Pending(EventStamp Stamp, ChartViewed[] Reads, TaskCompletionSource Committed);

    /// <summary>Completes when the events are committed; fails with the transaction's failure.</summary>
    public Task AppendAsync(string tenantId, EventStamp stamp, ChartViewed[] reads)
    {
        var pending = new Pending(stamp, reads, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _tenants.GetOrAdd(tenantId, tenant => new Lazy<ChannelWriter<Pending>>(() => Start(tenant))).Value.TryWrite(pending);
        return pending.Committed.Task;
    }

    private ChannelWriter<Pending> Start(string tenantId)
    {
        var channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
        _ = Task.Run(() => WriteAsync(tenantId, channel.Reader));
        return channel.Writer;
    }

    private async Task WriteAsync(string tenantId, ChannelReader<Pending> reader)
    {
        var batch = new List<Pending>(MaxReads);
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxReads && reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                await using var session = store.LightweightSession(tenantId);
                // Each read is a stream of its own: reads of one patient never contend for a stream version.
                foreach (var pending in batch)
                    session.Events.StartStream(Guid.CreateVersion7(),
                        pending.Reads.Select(read => (object)pending.Stamp.ApplyTo(session.Events.BuildEvent(read))).ToArray());
                await session.SaveChangesAsync();
                foreach (var pending in batch) pending.Committed.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var pending in batch) pending.Committed.TrySetException(e);
            }
            batch.Clear();
        }
    }
}
