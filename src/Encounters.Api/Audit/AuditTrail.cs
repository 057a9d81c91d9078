using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;
using Npgsql;

namespace Encounters.Audit;

/// <summary>
/// Builds the audit trail from the event store in event order, one tenant chain at a time. Asynchronous:
/// writes never wait for it, and a rebuild replays the same events into the same chain. A hand-written
/// <see cref="IProjection"/> rather than Marten's multi-stream base: the chain needs every event of a tenant, in
/// strict sequence order, with the previous entry's hash.
/// </summary>
public sealed class AuditProjection(AuditSeal seal, NpgsqlDataSource db) : IProjection
{
    public const string Name = "AuditTrail";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var content = await EventContent.LoadAsync(db, events.Select(e => e.Sequence).ToArray(), cancellation);
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
            var entries = new List<AuditEntry>();
            var streamsStarted = new List<StreamPatient>();

            foreach (var e in tenantEvents.OrderBy(e => e.Sequence))
            {
                if (e.Sequence <= head.Sequence) continue; // already chained (a replayed batch)

                var patientId = PatientOf(e.Data);
                if (patientId is { } known && IsStreamStart(e.Data))
                {
                    patients[e.StreamId] = known;
                    streamsStarted.Add(new StreamPatient { Id = e.StreamId, PatientId = known });
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
                    CorrelationId = e.CorrelationId, PreviousHash = head.Hash, AfterClose = e.Data is IWrittenAfterClose { AfterClose: true },
                    EmergencyAccess = e.Data is ChartViewed { EmergencyAccessGrantId: not null },
                    ContentHash = content.TryGetValue(e.Sequence, out var row) ? row.Hash : "",
                };
                entry.Hash = entry.ComputeHash();
                entry.Seal = seal.Sign(entry.Hash);
                entries.Add(entry);
                head.Hash = entry.Hash;
                head.Sequence = entry.Sequence;
                head.EntriesSinceCheckpoint++;
            }

            if (head.EntriesSinceCheckpoint >= AuditSeal.EntriesPerCheckpoint &&
                seal.Checkpoint(tenantEvents.Key, head.Sequence, head.Hash, tenantEvents.Max(e => e.Timestamp)) is { } checkpoint)
            {
                tenant.Store(checkpoint);
                head.CheckpointedSequence = head.Sequence;
                head.EntriesSinceCheckpoint = 0;
            }

            FactRows.Queue(tenant, tenantEvents.Key, entries, e => e.Id);
            FactRows.Queue(tenant, tenantEvents.Key, streamsStarted, s => s.Id);
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
        Imaging.ImagingRequested e => e.PatientId,
        Medications.MedicationRequested e => e.PatientId,
        ChartViewed e => e.PatientId,
        EmergencyAccessGranted e => e.PatientId,
        _ => null,
    };

    private static bool IsStreamStart(object data) => data is PatientRegistered or EncounterPlanned or LabOrderPlaced or SpecimenCollected or ResultEntered or Medications.MedicationRequested
        or Imaging.ImagingRequested;

    private static string Header(IEvent e, string name) => e.GetHeader(name)?.ToString() ?? "";

    private static string? NullIfEmpty(string value) => value == "" ? null : value;

    public static void Configure(StoreOptions opts, AuditSeal seal, NpgsqlDataSource db)
    {
        opts.Events.AddEventTypes([typeof(ChartViewed), typeof(AuditTrailExported)]);
        // Checkpoints are not torn down with a rebuild: they are the anchor the rebuilt chain must match.
        opts.Schema.For<AuditCheckpoint>().Index(x => x.Sequence);
        opts.Projections.Add(new AuditProjection(seal, db), ProjectionLifecycle.Async, Name, async =>
        {
            async.DeleteViewTypeOnTeardown<AuditEntry>();
            async.DeleteViewTypeOnTeardown<AuditChainHead>();
            async.DeleteViewTypeOnTeardown<StreamPatient>();
        });
        opts.Schema.For<AuditEntry>().Index(x => x.Sequence).Index(x => x.At).Index(x => x.PatientId).Index(x => x.UserId)
            .Index(x => x.FacilityId);
        // An entry per event and per chart read: plain columns spare each insert five jsonb extractions (docs/benchmarks.md).
        IndexedColumns.Store<AuditEntry>(opts, x => x.Sequence, x => x.At, x => x.PatientId, x => x.UserId, x => x.FacilityId);
    }
}
