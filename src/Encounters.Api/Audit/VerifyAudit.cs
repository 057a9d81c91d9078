using Npgsql;

namespace Encounters.Audit;

// VerifiedAfterSequence is set when the walk was incremental: the entries up to it were verified earlier.
public record ChainVerification(bool Intact, long EntriesChecked, long? FirstBrokenSequence, Guid? FirstBrokenEntryId, string? Problem,
    int CheckpointsChecked = 0, bool Sealed = false, long? VerifiedAfterSequence = null)
{
    /// <summary>The last entry walked (for the verified mark), when the walk was intact and not empty.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public AuditEntry? Last { get; init; }
}

/// <summary>
/// Walks a tenant's audit chain beside the event store itself: each entry must still match its event row (not edited,
/// not deleted, none inserted between), its own hash, its link to the previous entry, its seal, and every signed
/// checkpoint on the way. The first failure is reported with its sequence.
/// </summary>
public static class AuditVerification
{
    public static async Task<ChainVerification> VerifyAsync(IQuerySession session, NpgsqlDataSource db, AuditSeal seal,
        long from, long to, AuditCheckpoint? anchor, CancellationToken ct, string? previousHash = null)
    {
        var checkpoints = (await session.Query<AuditCheckpoint>().Where(c => c.Sequence >= from && c.Sequence <= to).ToListAsync(ct))
            .ToDictionary(c => c.Sequence);
        if (anchor is not null)
        {
            if (anchor.TenantId != session.TenantId || !seal.Verifies(anchor.SignedText(), anchor.Signature))
                return Broken(0, anchor.Sequence, null, "The checkpoint's signature does not verify with this service's key.", 0, seal);
            checkpoints[anchor.Sequence] = anchor;
            to = Math.Max(to, anchor.Sequence);
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = EventContent.OfTenant(connection, session.TenantId, from, to);
        await using var events = await command.ExecuteReaderAsync(ct);
        await using var entries = session.Query<AuditEntry>().Where(a => a.Sequence >= from && a.Sequence <= to).OrderBy(a => a.Sequence)
            .ToAsyncEnumerable(ct).GetAsyncEnumerator(ct);

        string? previous = previousHash;
        AuditEntry? last = null;
        long count = 0;
        var checkedCheckpoints = 0;
        var row = await events.ReadAsync(ct) ? EventContent.Read(events) : null;
        while (await entries.MoveNextAsync())
        {
            var entry = entries.Current;
            count++;
            checkpoints.Remove(entry.Sequence, out var checkpoint);
            if (Problem(entry, row, previous, checkpoint, seal) is { } p)
                return Broken(count, p.Sequence, p.Sequence == entry.Sequence ? entry.Id : null, p.Text, checkedCheckpoints, seal);
            if (checkpoint is not null) checkedCheckpoints++;

            previous = entry.Hash;
            last = entry;
            row = await events.ReadAsync(ct) ? EventContent.Read(events) : null;
        }

        if (row is not null) return Broken(count, row.Sequence, null, "An event has no audit entry: it was inserted afterwards.", checkedCheckpoints, seal);
        if (checkpoints.Count > 0)
            return Broken(count, checkpoints.Keys.Min(), null, "Entries up to a signed checkpoint are missing: the chain was cut short.",
                checkedCheckpoints, seal);
        return new(true, count, null, null, null, checkedCheckpoints, seal.Configured) { Last = last };
    }

    /// <summary>What is wrong at this entry, if anything: its event row, its link, its hash, its seal, its checkpoint.</summary>
    private static (long Sequence, string Text)? Problem(AuditEntry entry, EventContent.Row? row, string? previous,
        AuditCheckpoint? checkpoint, AuditSeal seal)
    {
        if (row is not null && row.Sequence < entry.Sequence) return (row.Sequence, "An event has no audit entry: it was inserted afterwards.");
        if (row is null || row.Sequence > entry.Sequence) return (entry.Sequence, "The audited event is missing from the event store.");
        if (row.Hash != entry.ContentHash || row.StreamId != entry.StreamId || row.Version != entry.StreamVersion)
            return (entry.Sequence, "The event's stored content no longer matches its audit entry.");
        if (previous is not null && entry.PreviousHash != previous) return (entry.Sequence, "The link to the previous entry is broken.");
        if (entry.ComputeHash() != entry.Hash) return (entry.Sequence, "The entry's content does not match its hash.");
        if (seal.Configured && !seal.Verifies(entry.Hash, entry.Seal))
            return (entry.Sequence, "The entry's seal does not verify: the chain was rewritten.");
        if (checkpoint is not null && (checkpoint.ChainHash != entry.Hash || !seal.Verifies(checkpoint.SignedText(), checkpoint.Signature)))
            return (entry.Sequence, "The chain no longer matches its signed checkpoint.");
        return null;
    }

    private static ChainVerification Broken(long count, long sequence, Guid? entryId, string problem, int checkpoints, AuditSeal seal) =>
        new(false, count, sequence, entryId, problem, checkpoints, seal.Configured);
}

public static class VerifyAuditEndpoint
{
    public static ProblemDetails Validate(DateTimeOffset? from, DateTimeOffset? to) =>
        Problems.Validation(Requests.ClinicalDates.Window(from, to, required: false));

    /// <summary>
    /// Verifies the tenant's audit chain against the event store (optionally for a period) and reports the first
    /// event or entry that was edited, deleted, inserted or re-hashed. The whole chain by default; with
    /// <c>incremental=true</c> only the entries after the last intact whole-chain verify, linked to it, so a scheduled
    /// check costs what was added since (a tamper before that point is found by the default, full walk).
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/audit/verify", Name = "VerifyAudit"), Authorize(Actions.ReadAudit)]
    public static async Task<ChainVerification> Get(DateTimeOffset? from, DateTimeOffset? to, bool? incremental, IDocumentSession session,
        NpgsqlDataSource db, AuditSeal seal, TimeProvider clock, CancellationToken ct)
    {
        var (first, last) = await Bounds(session, from, to, ct);
        if (from is not null || to is not null) return await AuditVerification.VerifyAsync(session, db, seal, first, last, null, ct);
        return await AuditVerifiedMark.VerifyWholeChainAsync(session, db, seal, first, last, incremental == true, clock.GetUtcNow(), ct);
    }

    /// <summary>The sequences a period covers; the whole chain up to its head (what the projection has chained) by default.</summary>
    public static async Task<(long, long)> Bounds(IQuerySession session, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var head = (await session.LoadAsync<AuditChainHead>(AuditChainHead.Key, ct))?.Sequence ?? 0;
        var period = new AuditFilter(null, null, from, to, null).Apply(session.Query<AuditEntry>());
        if (from is null && to is null) return (long.MinValue, head);
        var first = await period.Select(a => a.Sequence).FirstOrDefaultAsync(ct);
        var last = await period.OrderByDescending(a => a.Sequence).Select(a => a.Sequence).FirstOrDefaultAsync(ct);
        return first == 0 ? (1, 0) : (first, last);
    }
}

public static class VerifyAuditAgainstCheckpointEndpoint
{
    /// <summary>Verifies the chain up to a checkpoint exported earlier (GET /api/audit/checkpoints) and kept outside the database.</summary>
    [WolverinePost("/api/audit/verify", Name = "VerifyAuditAgainstCheckpoint"), Authorize(Actions.ReadAudit)]
    public static async Task<ChainVerification> Post(AuditCheckpoint checkpoint, IQuerySession session, NpgsqlDataSource db,
        AuditSeal seal, CancellationToken ct)
    {
        var (first, last) = await VerifyAuditEndpoint.Bounds(session, null, null, ct);
        return await AuditVerification.VerifyAsync(session, db, seal, first, last, checkpoint, ct);
    }
}
