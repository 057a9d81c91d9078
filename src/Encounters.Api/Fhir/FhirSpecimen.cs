using Encounters.Audit;
using Encounters.Lab;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>FHIR Specimen from a sample stream, folded by the Lab module's SampleView; the accession number is a per-tenant identifier.</summary>
public static class FhirSpecimen
{
    public static readonly FhirStream<SampleView> Source = new("Specimen",
        e => e is SpecimenCollected c ? new StreamOwner(c.FacilityId, c.PatientId) : null, fold => Map(fold.State, fold.Tenant));

    public static R4.Specimen Map(SampleView sample, string tenant)
    {
        var specimen = new R4.Specimen
        {
            AccessionIdentifier = new R4.Identifier(FhirLinks.System(tenant, "accession"), sample.AccessionNumber),
            Identifier = [new R4.Identifier(FhirLinks.System(tenant, "barcode"), sample.Barcode)],
            Status = sample.Status == SampleStatus.Rejected ? R4.Specimen.SpecimenStatus.Unsatisfactory : R4.Specimen.SpecimenStatus.Available,
            Type = new R4.CodeableConcept { Text = sample.SpecimenType },
            Subject = FhirLinks.To("Patient", sample.PatientId),
            ReceivedTime = sample.ReceivedAt is { } received ? new R4.FhirDateTime(received).Value : null,
            Request = sample.ItemIds.Select(item => FhirLinks.To("ServiceRequest", item)).ToList(),
            Collection = new R4.Specimen.CollectionComponent
            {
                Collected = new R4.FhirDateTime(sample.CollectedAt),
                Collector = sample.CollectedBy is { } by ? FhirLinks.Staff(tenant, by.UserId, by.Name) : null,
            },
            Container = [new R4.Specimen.ContainerComponent { Description = sample.Container }],
        };
        if (sample.RejectionReason is { } reason)
            specimen.Condition.Add(new R4.CodeableConcept { Text = $"rejected: {ApiText.Of(reason)}" });
        if (sample.RejectionNote is { Length: > 0 } note) specimen.Note.Add(new R4.Annotation { Text = new R4.Markdown(note) });
        return specimen;
    }

    /// <summary>A sample of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.specimen")]
    [WolverineGet("/fhir/Specimen/{id}", Name = "ReadFhirSpecimen"), Authorize(Actions.ReadSample)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, null, session, scope, ct);

    /// <summary>The sample at one version of its stream.</summary>
    [ReadsChart("fhir.specimen")]
    [WolverineGet("/fhir/Specimen/{id}/_history/{vid}", Name = "VreadFhirSpecimen"), Authorize(Actions.ReadSample)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, vid, session, scope, ct);

    /// <summary>Every version of the sample (collected, received or rejected), newest first, from its events.</summary>
    [ReadsChart("fhir.specimen.history")]
    [WolverineGet("/fhir/Specimen/{id}/_history", Name = "FhirSpecimenHistory"), Authorize(Actions.ReadSample)]
    public static Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        Source.HistoryAsync(FhirLinks.StreamOf(id), id, _count, _page, request, session, scope, ct);
}
