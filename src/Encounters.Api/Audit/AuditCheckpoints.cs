using Microsoft.AspNetCore.Http.HttpResults;

namespace Encounters.Audit;

public static class AuditCheckpointEndpoints
{
    /// <summary>
    /// The tenant's signed checkpoints, oldest first, to keep outside the database (a write-once store, a printout): an
    /// exported checkpoint later proves the chain up to it was not rewritten or cut short (POST /api/audit/verify).
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/audit/checkpoints", Name = "ExportAuditCheckpoints"), Authorize(Actions.ReadAudit)]
    public static async Task<IReadOnlyList<AuditCheckpoint>> Get(IQuerySession session, CancellationToken ct) =>
        await session.Query<AuditCheckpoint>().OrderBy(c => c.Sequence).Take(10_000).ToListAsync(ct);
}

public static class SignAuditCheckpointEndpoint
{
    public static Task<AuditChainHead?> LoadAsync(IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<AuditChainHead>(AuditChainHead.Key, ct);

    public static ProblemDetails Validate(AuditChainHead? head, AuditSeal seal) =>
        !seal.Configured ? Problems.Conflict("audit.no_seal_key", "No audit key is configured (Audit:SealKey): checkpoints cannot be signed.")
        : head is null ? Problems.Conflict("audit.empty", "The audit trail has no entries yet.")
        : WolverineContinue.NoProblems;

    /// <summary>Signs the chain's head now (the audit trail also signs one by itself every 1,000 entries).</summary>
    [WolverinePost("/api/audit/checkpoints", Name = "SignAuditCheckpoint"), Authorize(Actions.ReadAudit)]
    public static Created<AuditCheckpoint> Post([NotBody] AuditChainHead head, IDocumentSession session, AuditSeal seal, TimeProvider clock)
    {
        var checkpoint = seal.Checkpoint(session.TenantId, head.Sequence, head.Hash, clock.GetUtcNow())!;
        session.Store(checkpoint);
        return TypedResults.Created("/api/audit/checkpoints", checkpoint);
    }
}
