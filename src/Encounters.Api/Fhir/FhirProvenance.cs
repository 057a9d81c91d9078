using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR Provenance of one resource version: who wrote the event that made it, when, and as what (id = the event's id, read from the
/// audit trail). The target is the version it made (<c>Type/id/_history/n</c>) of a resource served here; reads have none.
/// </summary>
public static class FhirProvenance
{
    /// <summary>The resources a stream is served as, known from its first event.</summary>
    private static IEnumerable<string> Targets(object first, Guid stream) => first switch
    {
        PatientRegistered => [$"Patient/{stream}"],
        EncounterPlanned => [$"Encounter/{stream}"],
        ResultEntered => [$"DiagnosticReport/{stream}"],
        SpecimenCollected => [$"Specimen/{stream}"],
        LabOrderPlaced placed => placed.Items.Select(i => $"ServiceRequest/{i.ItemId}"),
        _ => [],
    };

    private static async Task<FhirResponse> ReadAsync(string id, string? vid, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var entry = vid is null or "1" ? await FhirAuditEvent.LoadAsync(id, session, scope, ct) : null;
        var first = entry is null ? [] : await session.Events.FetchStreamAsync(entry.StreamId, 1, token: ct);
        var targets = first.Count == 1 ? Targets(first[0].Data, entry!.StreamId).ToList() : [];
        if (entry is null || targets.Count == 0) return FhirResponse.NotFound("Provenance", vid is null ? id : $"{id}/_history/{vid}");

        var provenance = new R4.Provenance
        {
            Id = entry.Id.ToString(),
            Meta = new R4.Meta { VersionId = "1", LastUpdated = entry.At },
            Target = targets.Select(t => new R4.ResourceReference($"{t}/_history/{entry.StreamVersion}")).ToList(),
            Recorded = entry.At,
            Activity = new R4.CodeableConcept(FhirLinks.System(scope.TenantId, "event-type"), entry.Action, entry.Action),
            Agent =
            [
                new R4.Provenance.AgentComponent
                {
                    Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"),
                    Role = entry.Role is { Length: > 0 } role ? [new R4.CodeableConcept { Text = role }] : [],
                    Who = FhirLinks.Staff(scope.TenantId, entry.UserId, entry.UserName),
                },
            ],
        };
        return new FhirResponse(provenance, patients: entry.PatientId is { } p ? [p] : []);
    }

    /// <summary>Who made one version of a resource, and when.</summary>
    [ReadsChart("fhir.provenance", Purpose = "audit")]
    [WolverineGet("/fhir/Provenance/{id}", Name = "ReadFhirProvenance"), Authorize(Actions.ReadAudit)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, null, session, scope, ct);

    /// <summary>The provenance at its only version, 1.</summary>
    [ReadsChart("fhir.provenance", Purpose = "audit")]
    [WolverineGet("/fhir/Provenance/{id}/_history/{vid}", Name = "VreadFhirProvenance"), Authorize(Actions.ReadAudit)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, vid, session, scope, ct);

    /// <summary>The provenance's versions: its only one.</summary>
    [ReadsChart("fhir.provenance.history", Purpose = "audit")]
    [WolverineGet("/fhir/Provenance/{id}/_history", Name = "FhirProvenanceHistory"), Authorize(Actions.ReadAudit)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        FhirHistory.Single(await ReadAsync(id, null, session, scope, ct), request, _count, _page);
}
