using System.Security.Cryptography;
using System.Text;

namespace Encounters.Audit;

/// <summary>
/// The audit key (<c>Audit:SealKey</c>, at least 32 characters, from configuration or a secret store; never stored in
/// the database). It seals every chain entry and signs checkpoints, so someone who can write to the database can
/// edit an event and recompute the hashes, but cannot produce seals or signatures that verify. Without a key the
/// chain still detects edits that do not recompute it, and the service says so.
/// </summary>
public sealed class AuditSeal(byte[]? key)
{
    public const int EntriesPerCheckpoint = 1000;

    public bool Configured => key is not null;

    public static AuditSeal From(IConfiguration configuration)
    {
        var value = configuration["Audit:SealKey"];
        if (string.IsNullOrEmpty(value)) return new(null);
        if (value.Length < 32) throw new InvalidOperationException("Audit:SealKey must be at least 32 characters.");
        return new(Encoding.UTF8.GetBytes(value));
    }

    public string? Sign(string text) =>
        key is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));

    public bool Verifies(string text, string? signature) =>
        key is not null && signature is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(text)!), Encoding.ASCII.GetBytes(signature));

    public AuditCheckpoint? Checkpoint(string tenantId, long sequence, string chainHash, DateTimeOffset at)
    {
        if (key is null) return null;
        var checkpoint = new AuditCheckpoint { Id = $"{sequence:D19}", TenantId = tenantId, Sequence = sequence, ChainHash = chainHash, At = at };
        checkpoint.Signature = Sign(checkpoint.SignedText())!;
        return checkpoint;
    }
}

/// <summary>A signed statement "the tenant's chain had this hash at this sequence": exported, it anchors the chain outside the database.</summary>
public sealed class AuditCheckpoint
{
    public string Id { get; set; } = "";
    public string TenantId { get; set; } = "";
    public long Sequence { get; set; }
    public string ChainHash { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Signature { get; set; } = "";

    public string SignedText() => string.Join('\u001f', "audit-checkpoint", TenantId, Sequence, ChainHash, At.UtcDateTime.ToString("O"));
}
