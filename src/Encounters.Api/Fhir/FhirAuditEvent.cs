using Encounters.Audit;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR AuditEvent from the audit trail: one per audited action (every event written, every chart read), id = the event's id.
/// An entry never changes, so its one version is 1. Reading it is itself a chart read, for the audit's purpose.
/// </summary>
public static class FhirAuditEvent
{
    public static R4.AuditEvent Map(AuditEntry entry, string tenant)
    {
        var audit = new R4.AuditEvent
        {
            Id = entry.Id.ToString(),
            Meta = new R4.Meta { VersionId = "1", LastUpdated = entry.At },
            Type = new R4.Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            Subtype = [new R4.Coding(FhirLinks.System(tenant, "audit-action"), entry.Action)],
            Action = entry.Action.StartsWith("read.") || entry.Action == "audit_trail_exported" ? R4.AuditEvent.AuditEventAction.R
                : entry.StreamVersion == 1 ? R4.AuditEvent.AuditEventAction.C : R4.AuditEvent.AuditEventAction.U,
            Recorded = entry.At,
            Outcome = R4.AuditEvent.AuditEventOutcome.N0,
            Agent =
            [
                new R4.AuditEvent.AgentComponent
                {
                    Who = FhirLinks.Staff(tenant, entry.UserId, entry.UserName), Requestor = true,
                    Role = entry.Role is { Length: > 0 } role ? [new R4.CodeableConcept { Text = role }] : [],
                    Network = entry.ClientIp is { } ip ? new R4.AuditEvent.NetworkComponent { Address = ip, Type = R4.AuditEvent.AuditEventAgentNetworkType.N2 } : null,
                },
            ],
            Source = new R4.AuditEvent.SourceComponent { Site = entry.FacilityId is { Length: > 0 } site ? site : null, Observer = new R4.ResourceReference { Display = "Encounters" } },
        };
        if (entry.PatientId is { } patient) audit.Entity.Add(new R4.AuditEvent.EntityComponent { What = FhirLinks.To("Patient", patient) });
        // The stream version the action wrote or read, and the entry's place in the tenant's hash chain.
        audit.Entity.Add(new R4.AuditEvent.EntityComponent
        {
            What = new R4.ResourceReference { Identifier = new R4.Identifier(FhirLinks.System(tenant, "stream"), $"{entry.StreamId}/{entry.StreamVersion}") },
            Detail = [new R4.AuditEvent.DetailComponent { Type = "hash", Value = new R4.FhirString(entry.Hash) }],
        });
        return audit;
    }

    /// <summary>The audit entry, if the caller's audit reach (their facility, or the tenant for a tenant auditor) covers it.</summary>
    public static async Task<AuditEntry?> LoadAsync(string id, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var reach = new AuditFilter(null, null, null, null, null).For(scope).FacilityId;
        return FhirLinks.StreamOf(id) is { } entryId && await session.LoadAsync<AuditEntry>(entryId, ct) is { } entry
               && (reach is null || entry.FacilityId == reach) ? entry : null;
    }

    private static async Task<FhirResponse> ReadAsync(string id, string? vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        vid is null or "1" && await LoadAsync(id, session, scope, ct) is { } entry
            ? new FhirResponse(Map(entry, scope.TenantId), patients: entry.PatientId is { } p ? [p] : [])
            : FhirResponse.NotFound("AuditEvent", vid is null ? id : $"{id}/_history/{vid}");

    /// <summary>One audited action, as the hash-chained audit trail records it.</summary>
    [ReadsChart("fhir.audit-event", Purpose = "audit")]
    [WolverineGet("/fhir/AuditEvent/{id}", Name = "ReadFhirAuditEvent"), Authorize(Actions.ReadAudit)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, null, session, scope, ct);

    /// <summary>The audited action at its only version, 1.</summary>
    [ReadsChart("fhir.audit-event", Purpose = "audit")]
    [WolverineGet("/fhir/AuditEvent/{id}/_history/{vid}", Name = "VreadFhirAuditEvent"), Authorize(Actions.ReadAudit)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, vid, session, scope, ct);

    /// <summary>The audited action's versions: its only one.</summary>
    [ReadsChart("fhir.audit-event.history", Purpose = "audit")]
    [WolverineGet("/fhir/AuditEvent/{id}/_history", Name = "FhirAuditEventHistory"), Authorize(Actions.ReadAudit)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        FhirHistory.Single(await ReadAsync(id, null, session, scope, ct), request, _count, _page);
}
