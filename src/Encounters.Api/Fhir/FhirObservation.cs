using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Lab;
using Marten.Events;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR Observation: vital signs from the encounter stream (<see cref="FhirVitalSigns"/>) and lab analytes from the result
/// streams (<see cref="FhirLabObservation"/>). Lab readers read them; vital signs only those whose roles show triage data.
/// </summary>
public static class FhirObservation
{
    private static readonly string[] Categories = ["vital-signs", "laboratory"];

    /// <summary>One observation: a vital sign or a lab analyte of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.observation")]
    [WolverineGet("/fhir/Observation/{id}", Name = "ReadFhirObservation"), Authorize(Actions.ReadResult)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, null, session, scope, ct);

    /// <summary>The observation at one version of its stream.</summary>
    [ReadsChart("fhir.observation")]
    [WolverineGet("/fhir/Observation/{id}/_history/{vid}", Name = "VreadFhirObservation"), Authorize(Actions.ReadResult)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        ReadAsync(id, vid, session, scope, ct);

    /// <summary>Every version of the observation, newest first: a lab analyte changes with its report; a vital sign never does.</summary>
    [ReadsChart("fhir.observation.history")]
    [WolverineGet("/fhir/Observation/{id}/_history", Name = "FhirObservationHistory"), Authorize(Actions.ReadResult)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        id.StartsWith("vs.")
            ? FhirHistory.Single(await FhirVitalSigns.ReadAsync(id, null, session, scope, ct), request, _count, _page)
            : await FhirLabObservation.Source.HistoryAsync(FhirLabObservation.Parse(id)?.Report, id, _count, _page, request, session, scope, ct);

    private static Task<FhirResponse> ReadAsync(string id, string? vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        id.StartsWith("vs.")
            ? FhirVitalSigns.ReadAsync(id, vid, session, scope, ct)
            : FhirLabObservation.Source.ReadAsync(FhirLabObservation.Parse(id)?.Report, id, vid, session, scope, ct);

    /// <summary>
    /// A patient's or a visit's observations (<c>patient</c> or <c>encounter</c> is required), filtered by <c>code</c> (LOINC,
    /// optionally <c>system|code</c>), <c>category</c> (vital-signs, laboratory) and <c>date</c>; newest first.
    /// </summary>
    [ReadsChart("fhir.observation.search")]
    [WolverineGet("/fhir/Observation", Name = "SearchFhirObservations"), Authorize(Actions.ReadResult)]
    public static async Task<FhirResponse> Search(string? patient, string? encounter, string? code, string? category, string? date,
        int? _count, int? _page, HttpRequest request, IQuerySession session, CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        var (patientId, badPatient) = FhirLinks.Reference("patient", patient, "Patient");
        var (encounterId, badEncounter) = FhirLinks.Reference("encounter", encounter, "Encounter");
        var (categories, badCategory) = FhirLinks.Codes("category", category, Categories);
        var (when, badDate) = FhirDateRange.Parse("date", request.Query["date"], clock.GetUtcNow());
        var unscoped = patientId is null && encounterId is null ? FhirResponse.Invalid("patient or encounter is required.") : null;
        if ((FhirLinks.Unsupported(request, "patient", "encounter", "code", "category", "date") ?? FhirPage.Error(_count, _page) ?? badPatient
             ?? badEncounter ?? badCategory ?? (when is null ? FhirResponse.Invalid(badDate!) : null) ?? unscoped) is { } refused)
            return refused;

        var found = new List<R4.Observation>();
        if ((categories ?? Categories).Contains("vital-signs") && Permissions.AnyRoleAllows(scope.User, Actions.ReadTriage))
            found.AddRange(await VitalSignsAsync(patientId, encounterId, session, scope, ct));
        if ((categories ?? Categories).Contains("laboratory"))
            found.AddRange(await LabAsync(patientId, encounterId, session, scope, ct));

        var matches = found.Where(o => Matches(o, code) && when!.Contains(((R4.FhirDateTime)o.Effective).ToDateTimeOffset(TimeSpan.Zero)))
            .OrderByDescending(o => ((R4.FhirDateTime)o.Effective).ToDateTimeOffset(TimeSpan.Zero)).ThenBy(o => o.Id).ToList();
        var paging = FhirPage.Of(_count, _page);
        var page = matches.Skip(paging.Skip).Take(paging.Count).ToList();
        return new FhirResponse(paging.Bundle(request, R4.Bundle.BundleType.Searchset, page.Select(o => FhirSearch.Match(request, o)), matches.Count),
            patients: page.Select(o => Guid.Parse(o.Subject.Reference["Patient/".Length..])).Distinct().ToList());
    }

    private static bool Matches(R4.Observation observation, string? code)
    {
        if (code is null) return true;
        var (system, value) = code.Contains('|') ? (code[..code.IndexOf('|')], code[(code.IndexOf('|') + 1)..]) : (null, code);
        return observation.Code.Coding.Any(c => c.Code == value && (system is null || c.System == system));
    }

    private static async Task<IEnumerable<R4.Observation>> VitalSignsAsync(Guid? patient, Guid? encounter, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var visits = session.Query<EncounterView>().Where(e => e.FacilityId == scope.FacilityId);
        if (patient is { } p) visits = visits.Where(e => e.PatientId == p);
        if (encounter is { } id) visits = visits.Where(e => e.Id == id);
        var patients = (await visits.Select(e => new { e.Id, e.PatientId }).ToListAsync(ct)).ToDictionary(e => e.Id, e => e.PatientId);
        var ids = patients.Keys.ToArray();
        var recorded = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(VitalSignsRecorded)) && e.StreamId.IsOneOf(ids)).ToListAsync(ct);
        return recorded.SelectMany(e => FhirVitalSigns.Map(e, patients[e.StreamId], scope.TenantId));
    }

    private static async Task<IEnumerable<R4.Observation>> LabAsync(Guid? patient, Guid? encounter, IQuerySession session,
        CurrentScope scope, CancellationToken ct)
    {
        var reports = session.Query<LabReport>().Where(r => r.FacilityId == scope.FacilityId);
        if (patient is { } p) reports = reports.Where(r => r.PatientId == p);
        if (encounter is { } id) reports = reports.Where(r => r.EncounterId == id);
        var observations = new List<R4.Observation>();
        foreach (var report in await reports.ToListAsync(ct))
        {
            var state = await session.Events.FetchStreamStateAsync(report.Id, ct);
            foreach (var observation in FhirLabObservation.All(report, scope.TenantId))
            {
                observation.Meta = new R4.Meta { VersionId = report.Version.ToString(), LastUpdated = state?.LastTimestamp };
                observations.Add(observation);
            }
        }
        return observations;
    }
}
