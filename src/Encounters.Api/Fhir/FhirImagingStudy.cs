using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Imaging;
using Hl7.Fhir.Utility;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR ImagingStudy: the study of one imaging request (id = the request's id), from the request's stream as Imaging's
/// ImagingRequest folds it: registered while it waits, available once performed, cancelled when it could not be done.
/// </summary>
public static class FhirImagingStudy
{
    public static readonly FhirStream<ImagingRequest> Source = new("ImagingStudy",
        e => e is ImagingRequested r ? new StreamOwner(r.FacilityId, r.PatientId) : null, Map);

    /// <summary>The FHIR status codes, from the module's own study states.</summary>
    private static readonly string[] Statuses = [.. Enum.GetValues<StudyState>().Select(s => ApiText.Of(s))];

    public static R4.ImagingStudy? Map(FhirFold<ImagingRequest> fold)
    {
        if (fold.Events[0].Data is not ImagingRequested requested) return null;
        var facts = fold.Events.Select(e => e.Data).ToList();
        var performed = facts.OfType<ImagingStudyPerformed>().LastOrDefault();
        var study = new R4.ImagingStudy
        {
            Status = EnumUtility.ParseLiteral<R4.ImagingStudy.ImagingStudyStatus>(ApiText.Of(fold.State.Study)),
            Modality = [new R4.Coding("http://dicom.nema.org/resources/ontology/DCM", requested.Modality)],
            Subject = FhirLinks.To("Patient", requested.PatientId),
            Encounter = FhirLinks.To("Encounter", requested.EncounterId),
            Started = performed is null ? null : new R4.FhirDateTime(performed.PerformedAt).Value,
            // The imaging request is not served as a ServiceRequest here: it is named by identifier, not by a literal reference.
            BasedOn = [new R4.ResourceReference { Type = "ServiceRequest", Identifier = new R4.Identifier(FhirLinks.System(fold.Tenant, "imaging-request"), fold.Id) }],
            Referrer = FhirLinks.Staff(fold.Tenant, requested.OrderedBy, requested.OrderedByName),
            ProcedureCode = [new R4.CodeableConcept(FhirLinks.System(fold.Tenant, "imaging-procedure"), requested.ProcedureCode, requested.ProcedureName, requested.ProcedureName)],
            ReasonCode = [new R4.CodeableConcept { Text = requested.ClinicalIndication }],
            Description = $"{requested.ProcedureName} ({requested.BodySite})",
        };
        if (performed?.StudyInstanceUid is { Length: > 0 } uid) study.Identifier.Add(new R4.Identifier("urn:dicom:uid", $"urn:oid:{uid}"));
        if (performed?.AccessionNumber is { Length: > 0 } accession)
            study.Identifier.Add(new R4.Identifier(FhirLinks.System(fold.Tenant, "imaging-accession"), accession)
            {
                Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN", "Accession ID"),
            });
        if (performed is not null) study.Note.Add(new R4.Annotation { Text = new R4.Markdown($"Technique: {performed.Technique}") });
        if (facts.OfType<ImagingStudyNotPerformed>().LastOrDefault() is { } notDone)
            study.Note.Add(new R4.Annotation { Text = new R4.Markdown($"Not performed: {notDone.Reason}") });
        return study;
    }

    /// <summary>An imaging study of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.imaging-study")]
    [WolverineGet("/fhir/ImagingStudy/{id}", Name = "ReadFhirImagingStudy"), Authorize(Actions.ReadImaging)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, null, session, scope, ct);

    /// <summary>The study at one version of its request's stream.</summary>
    [ReadsChart("fhir.imaging-study")]
    [WolverineGet("/fhir/ImagingStudy/{id}/_history/{vid}", Name = "VreadFhirImagingStudy"), Authorize(Actions.ReadImaging)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, vid, session, scope, ct);

    /// <summary>Every version of the study (one per version of its request's stream), newest first, from the events.</summary>
    [ReadsChart("fhir.imaging-study.history")]
    [WolverineGet("/fhir/ImagingStudy/{id}/_history", Name = "FhirImagingStudyHistory"), Authorize(Actions.ReadImaging)]
    public static Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        Source.HistoryAsync(FhirLinks.StreamOf(id), id, _count, _page, request, session, scope, ct);

    /// <summary>
    /// The studies of this facility by <c>patient</c>, <c>encounter</c> (one of them is required) and <c>status</c> (registered,
    /// available, cancelled), newest request first.
    /// </summary>
    [ReadsChart("fhir.imaging-study.search")]
    [WolverineGet("/fhir/ImagingStudy", Name = "SearchFhirImagingStudies"), Authorize(Actions.ReadImaging)]
    public static async Task<FhirResponse> Search(string? patient, string? encounter, string? status, int? _count, int? _page,
        HttpRequest request, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var (filter, refused) = FhirFilter.Parse(request, patient, encounter, status, Statuses, _count, _page, subjectRequired: true);
        if (refused is not null) return refused;
        var (patientId, encounterId, statuses) = filter;

        var query = session.Query<ImagingView>().Where(v => v.FacilityId == scope.FacilityId);
        if (patientId is { } p) query = query.Where(v => v.PatientId == p);
        if (encounterId is { } e) query = query.Where(v => v.EncounterId == e);
        var studies = (await query.OrderByDescending(v => v.RequestedAt).ThenBy(v => v.Id).ToListAsync(ct))
            .Where(v => statuses is null || statuses.Contains(ApiText.Of(v.Study))).ToList();
        var paging = FhirPage.Of(_count, _page);
        return await FhirSearch.PageAsync(Source, studies.Skip(paging.Skip).Take(paging.Count).Select(v => (v.Id, v.Id.ToString(), v.PatientId)).ToList(),
            studies.Count, paging, request, session, scope.TenantId, ct);
    }
}
