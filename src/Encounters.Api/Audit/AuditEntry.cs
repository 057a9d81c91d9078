using System.Security.Cryptography;
using System.Text;

namespace Encounters.Audit;

/// <summary>
/// One audited action: every event written, and every read of a chart (recorded as a <see cref="ChartViewed"/>
/// event). Entries of a tenant form a hash chain in event order; each covers the event's stored content
/// (<see cref="ContentHash"/>) and, where a key is configured, is sealed with it (<see cref="Seal"/>).
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }
    public long Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public string TenantId { get; set; } = "";
    public string FacilityId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Role { get; set; } = "";
    public string Action { get; set; } = "";
    public Guid StreamId { get; set; }
    public long StreamVersion { get; set; }
    public Guid? PatientId { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public string? CorrelationId { get; set; }

    /// <summary>Written to an encounter that was already closed.</summary>
    public bool AfterClose { get; set; }

    /// <summary>A read under a break-glass grant.</summary>
    public bool EmergencyAccess { get; set; }

    /// <summary>SHA-256 of the event row as stored (type, stream, version, time, data, headers): see <see cref="EventContent"/>.</summary>
    public string ContentHash { get; set; } = "";
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";

    /// <summary>HMAC of <see cref="Hash"/> with a key the database never holds: a rewritten chain cannot be re-sealed.</summary>
    public string? Seal { get; set; }

    /// <summary>The canonical content the hash covers: every field, in a fixed order, with the previous hash.</summary>
    public string Canonical() => string.Join('\u001f', Sequence, At.UtcDateTime.ToString("O"), TenantId, FacilityId, UserId, UserName,
        Role, Action, StreamId, StreamVersion, PatientId, ClientIp, UserAgent, CorrelationId, AfterClose, EmergencyAccess, ContentHash, PreviousHash);

    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical())));
}

/// <summary>The end of a tenant's chain, so the projection can continue it batch after batch.</summary>
public sealed class AuditChainHead
{
    public string Id { get; set; } = Key;
    public string Hash { get; set; } = "";
    public long Sequence { get; set; }
    public long CheckpointedSequence { get; set; }

    /// <summary>This tenant's entries since its last checkpoint (sequences are global: their distance counts other tenants' events).</summary>
    public long EntriesSinceCheckpoint { get; set; }

    public const string Key = "audit-chain";
}

/// <summary>Which patient a stream concerns, learned from the stream's first event (for "who looked at this chart").</summary>
public sealed class StreamPatient
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
}
