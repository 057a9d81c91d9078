using Npgsql;

namespace Encounters.Audit;

/// <summary>
/// How far a tenant's whole chain was last found intact: an incremental verify starts after it, linked to its hash,
/// so its cost follows what was added since rather than the whole history.
/// </summary>
public sealed class AuditVerifiedMark
{
    public string Id { get; set; } = Key;
    public long Sequence { get; set; }
    public string Hash { get; set; } = "";
    public DateTimeOffset VerifiedAt { get; set; }

    public const string Key = "audit-verified";

    /// <summary>Walks the whole chain (or, when incremental, what follows the mark) and moves the mark when intact.</summary>
    public static async Task<ChainVerification> VerifyWholeChainAsync(IDocumentSession session, NpgsqlDataSource db, AuditSeal seal,
        long first, long head, bool incremental, DateTimeOffset now, CancellationToken ct)
    {
        var mark = incremental ? await session.LoadAsync<AuditVerifiedMark>(Key, ct) : null;
        var verdict = mark is null
            ? await AuditVerification.VerifyAsync(session, db, seal, first, head, null, ct)
            : await AuditVerification.VerifyAsync(session, db, seal, mark.Sequence + 1, head, null, ct, mark.Hash) with
            {
                VerifiedAfterSequence = mark.Sequence,
            };
        if (verdict.Intact && verdict.Last is { } last)
        {
            session.Store(new AuditVerifiedMark { Sequence = last.Sequence, Hash = last.Hash, VerifiedAt = now });
            await session.SaveChangesAsync(ct);
        }
        return verdict;
    }
}
