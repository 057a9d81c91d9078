using System.Security.Cryptography;
using System.Text;
using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Orders;
using Encounters.Patients;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Audit;

/// <summary>
/// One audited action: every event written, and every read of a chart (recorded as a
/// <see cref="ChartViewed"/> event). Entries of a tenant form a hash chain in event order.
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
    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";

    /// <summary>The canonical content the hash covers: every field, in a fixed order, with the previous hash.</summary>
    public string Canonical() => string.Join('\u001f', Sequence, At.UtcDateTime.ToString("O"), TenantId, FacilityId, UserId, UserName,
        Role, Action, StreamId, StreamVersion, PatientId, ClientIp, UserAgent, CorrelationId, PreviousHash);

    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical())));
}

/// <summary>The end of a tenant's chain, so the projection can continue it batch after batch.</summary>
public sealed class AuditChainHead
{
    public string Id { get; set; } = Key;
    public string Hash { get; set; } = "";
    public long Sequence { get; set; }
    public const string Key = "audit-chain";
}

/// <summary>Which patient a stream concerns, learned from the stream's first event (for "who looked at this chart").</summary>
public sealed class StreamPatient
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
}

/// <summary>
/// Builds the audit trail from the event store in event order, one tenant chain at a time. Asynchronous:
/// writes never wait for it, and a rebuild replays the same events into the same chain.
/// </summary>
public sealed class AuditProjection : IProjection
{
    public const string Name = "AuditTrail";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var tenantEvents in events.GroupBy(e => e.TenantId))
        {
            var tenant = operations.ForTenant(tenantEvents.Key);

            // One round trip for what the batch needs to know: the chain's head, and the patient of every stream
            // that did not start in this batch.
            var startedHere = tenantEvents.Where(e => IsStreamStart(e.Data)).Select(e => e.StreamId).ToHashSet();
            var earlierStreams = tenantEvents.Where(e => PatientOf(e.Data) is null && !startedHere.Contains(e.StreamId))
                .Select(e => e.StreamId).Distinct().ToArray();
            var batch = tenant.CreateBatchQuery();
            var loadingHead = batch.Load<AuditChainHead>(AuditChainHead.Key);
            var loadingPatients = batch.LoadMany<StreamPatient>().ById(earlierStreams);
            await batch.Execute(cancellation);
            var head = await loadingHead ?? new AuditChainHead();
            var patients = (await loadingPatients).ToDictionary(s => s.Id, s => s.PatientId);

            foreach (var e in tenantEvents.OrderBy(e => e.Sequence))
            {
                if (e.Sequence <= head.Sequence) continue; // already chained (a replayed batch)

                var patientId = PatientOf(e.Data);
                if (patientId is { } known && IsStreamStart(e.Data))
                {
                    patients[e.StreamId] = known;
                    tenant.Store(new StreamPatient { Id = e.StreamId, PatientId = known });
                }
                patientId ??= patients.TryGetValue(e.StreamId, out var cached) ? cached : null;
                if (patientId is { } p) patients[e.StreamId] = p;

                var entry = new AuditEntry
                {
                    // A read is recorded when it happened, not when its audit message was processed.
                    Id = e.Id, Sequence = e.Sequence, At = e.Data is ChartViewed read ? read.ViewedAt : e.Timestamp, TenantId = e.TenantId,
                    FacilityId = Header(e, EventHeaders.Facility), UserId = Header(e, EventHeaders.UserId),
                    UserName = Header(e, EventHeaders.UserName), Role = Header(e, EventHeaders.Role),
                    Action = e.Data is ChartViewed viewed ? $"read.{viewed.Resource}" : e.EventTypeName,
                    StreamId = e.StreamId, StreamVersion = e.Version, PatientId = patientId,
                    ClientIp = NullIfEmpty(Header(e, EventHeaders.ClientIp)), UserAgent = NullIfEmpty(Header(e, EventHeaders.UserAgent)),
                    CorrelationId = e.CorrelationId, PreviousHash = head.Hash,
                };
                entry.Hash = entry.ComputeHash();
                tenant.Store(entry);
                head.Hash = entry.Hash;
                head.Sequence = entry.Sequence;
            }

            tenant.Store(head);
        }
    }

    private static Guid? PatientOf(object data) => data switch
    {
        PatientRegistered e => e.PatientId,
        EncounterPlanned e => e.PatientId,
        LabOrderPlaced e => e.PatientId,
        SpecimenCollected e => e.PatientId,
        ResultEntered e => e.PatientId,
        ChartViewed e => e.PatientId,
        _ => null,
    };

    private static bool IsStreamStart(object data) => data is PatientRegistered or EncounterPlanned or LabOrderPlaced or SpecimenCollected or ResultEntered;

    private static string Header(IEvent e, string name) => e.GetHeader(name)?.ToString() ?? "";

    private static string? NullIfEmpty(string value) => value == "" ? null : value;

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventType<ChartViewed>();
        opts.Projections.Add(new AuditProjection(), ProjectionLifecycle.Async, Name, async =>
        {
            async.DeleteViewTypeOnTeardown<AuditEntry>();
            async.DeleteViewTypeOnTeardown<AuditChainHead>();
            async.DeleteViewTypeOnTeardown<StreamPatient>();
        });
        opts.Schema.For<AuditEntry>().Index(x => x.Sequence).Index(x => x.At).Index(x => x.PatientId).Index(x => x.UserId);
    }
}
