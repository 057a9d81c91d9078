using Encounters.Audit;
using Encounters.Lab;
using Marten.Pagination;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR DiagnosticReport from a result stream (one per ordered test), folded by the Lab module's LabReport. Clients see the
/// latest released version (final, or corrected after a correction); before the first release, the preliminary one. Earlier
/// versions, the original included, stay readable by vread and _history.
/// </summary>
public static class FhirDiagnosticReport
{
    public static readonly FhirStream<LabReport> Source = new("DiagnosticReport",
        e => e is ResultEntered r ? new StreamOwner(r.FacilityId, r.PatientId) : null, fold => Map(fold.State, fold.Tenant));

    public static readonly string[] Statuses = ["preliminary", "final", "amended", "corrected"];

    /// <summary>The version a client is shown, and its FHIR status: a correction is shown once it is released.</summary>
    public static (ReportVersion Version, string Status) Shown(LabReport report) =>
        report.Versions.LastOrDefault(v => v.ReleasedAt is not null) is { } released ? (released, released.Status) : (report.Versions[^1], "preliminary");

    public static R4.DiagnosticReport Map(LabReport report, string tenant)
    {
        var (shown, status) = Shown(report);
        var diagnostic = new R4.DiagnosticReport
        {
            Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<R4.DiagnosticReport.DiagnosticReportStatus>(status),
            Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", "Laboratory")],
            Code = new R4.CodeableConcept(FhirLinks.System(tenant, "lab-test"), report.TestCode, report.TestName, report.TestName),
            BasedOn = [FhirLinks.To("ServiceRequest", report.Id)],
            Subject = FhirLinks.To("Patient", report.PatientId),
            Encounter = FhirLinks.To("Encounter", report.EncounterId),
            Effective = new R4.FhirDateTime(shown.EnteredAt),
            Issued = shown.ReleasedAt,
            Specimen = [FhirLinks.To("Specimen", report.SampleId)],
            Result = shown.Analytes.Select((_, index) => new R4.ResourceReference($"Observation/{FhirLabObservation.Id(report.Id, index)}")).ToList(),
            Conclusion = shown.Comment is { Length: > 0 } comment ? comment : null,
        };
        if (shown.ReleasedBy is { } released) diagnostic.Performer.Add(FhirLinks.Staff(tenant, released.UserId, released.Name));
        if (shown.VerifiedBy is { } verified) diagnostic.ResultsInterpreter.Add(FhirLinks.Staff(tenant, verified.UserId, verified.Name));
        return diagnostic;
    }

    /// <summary>A lab report of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.diagnostic-report")]
    [WolverineGet("/fhir/DiagnosticReport/{id}", Name = "ReadFhirDiagnosticReport"), Authorize(Actions.ReadResult)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, null, session, scope, ct);

    /// <summary>The report at one version of its stream (the original stays readable after a correction).</summary>
    [ReadsChart("fhir.diagnostic-report")]
    [WolverineGet("/fhir/DiagnosticReport/{id}/_history/{vid}", Name = "VreadFhirDiagnosticReport"), Authorize(Actions.ReadResult)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, vid, session, scope, ct);

    /// <summary>Every version of the report, newest first, from its events.</summary>
    [ReadsChart("fhir.diagnostic-report.history")]
    [WolverineGet("/fhir/DiagnosticReport/{id}/_history", Name = "FhirDiagnosticReportHistory"), Authorize(Actions.ReadResult)]
    public static Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        Source.HistoryAsync(FhirLinks.StreamOf(id), id, _count, _page, request, session, scope, ct);

    /// <summary>Lab reports of this facility by <c>patient</c>, <c>encounter</c> and <c>status</c>.</summary>
    [ReadsChart("fhir.diagnostic-report.search")]
    [WolverineGet("/fhir/DiagnosticReport", Name = "SearchFhirDiagnosticReports"), Authorize(Actions.ReadResult)]
    public static async Task<FhirResponse> Search(string? patient, string? encounter, string? status, int? _count, int? _page,
        HttpRequest request, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var (filter, refused) = FhirFilter.Parse(request, patient, encounter, status, Statuses, _count, _page);
        if (refused is not null) return refused;
        var (patientId, encounterId, statuses) = filter;

        var query = session.Query<LabReport>().Where(r => r.FacilityId == scope.FacilityId);
        if (patientId is { } p) query = query.Where(r => r.PatientId == p);
        if (encounterId is { } e) query = query.Where(r => r.EncounterId == e);
        // The report's own status is the shown version's, except that a never-released report is preliminary.
        if (statuses is not null) query = query.Where(r => statuses.Contains(r.Status));

        var paging = FhirPage.Of(_count, _page);
        var found = await query.OrderBy(r => r.Id).ToPagedListAsync(paging.Number, paging.Count, ct);
        return await FhirSearch.PageAsync(Source, found.Select(r => (r.Id, r.Id.ToString(), r.PatientId)).ToList(), found.TotalItemCount,
            paging, request, session, scope.TenantId, ct);
    }
}
