using Encounters.Audit;
using Encounters.Encounters;
using Marten.Pagination;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR Encounter from the encounter stream: the visit as the Encounters module's view folds it, and statusHistory from the
/// events themselves, each status as the module's write model decides it.
/// </summary>
public static class FhirEncounter
{
    public static readonly FhirStream<EncounterView> Source = new("Encounter",
        e => e is EncounterPlanned p ? new StreamOwner(p.FacilityId, p.PatientId) : null, Map);

    private static readonly string[] Statuses = Enum.GetValues<EncounterStatus>().Select(EncounterTransitions.Name).ToArray();

    public static R4.Encounter Map(FhirFold<EncounterView> fold)
    {
        var visit = fold.State;
        var encounter = new R4.Encounter
        {
            Status = Status(visit.Status),
            StatusHistory = StatusHistory(fold).ToList(),
            Class = new R4.Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
            Subject = FhirLinks.To("Patient", visit.PatientId),
            Period = new R4.Period
            {
                Start = new R4.FhirDateTime(visit.ArrivedAt ?? visit.ScheduledAt ?? visit.PlannedAt).Value,
                End = visit.ClosedAt is { } closed ? new R4.FhirDateTime(closed).Value : null,
            },
            ReasonCode = [new R4.CodeableConcept { Text = visit.Reason }],
        };
        if (visit.AttendingClinician is { } clinician)
            encounter.Participant.Add(new R4.Encounter.ParticipantComponent { Individual = FhirLinks.Staff(fold.Tenant, clinician.UserId, clinician.Name) });
        if (visit.Disposition is { } disposition)
            encounter.Hospitalization = new R4.Encounter.HospitalizationComponent
            {
                DischargeDisposition = new R4.CodeableConcept { Text = ApiText.Of(disposition) },
            };
        return encounter;
    }

    private static R4.Encounter.EncounterStatus Status(EncounterStatus status) =>
        Hl7.Fhir.Utility.EnumUtility.ParseLiteral<R4.Encounter.EncounterStatus>(EncounterTransitions.Name(status))!.Value;

    /// <summary>Each status the visit went through, from the event that entered it until the one that left it.</summary>
    private static IEnumerable<R4.Encounter.StatusHistoryComponent> StatusHistory(FhirFold<EncounterView> fold)
    {
        Encounter? state = null;
        R4.Encounter.StatusHistoryComponent? current = null;
        foreach (var e in fold.Events)
        {
            var next = e.Data is EncounterPlanned planned ? Encounter.Create(planned) : state?.After(e.Data);
            if (next is null || next.Status == state?.Status) continue;
            var at = new R4.FhirDateTime(e.Timestamp).Value;
            if (current is not null)
            {
                current.Period.End = at;
                yield return current;
            }
            current = new R4.Encounter.StatusHistoryComponent { Status = Status(next.Status), Period = new R4.Period { Start = at } };
            state = next;
        }
        if (current is not null) yield return current;
    }

    /// <summary>A visit of this facility (or under the caller's break-glass grant), as it stands now.</summary>
    [ReadsChart("fhir.encounter")]
    [WolverineGet("/fhir/Encounter/{id}", Name = "ReadFhirEncounter"), Authorize(Actions.ReadEncounter)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, null, session, scope, ct);

    /// <summary>The visit at one version of its stream.</summary>
    [ReadsChart("fhir.encounter")]
    [WolverineGet("/fhir/Encounter/{id}/_history/{vid}", Name = "VreadFhirEncounter"), Authorize(Actions.ReadEncounter)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, vid, session, scope, ct);

    /// <summary>Every version of the visit, newest first, from its events.</summary>
    [ReadsChart("fhir.encounter.history")]
    [WolverineGet("/fhir/Encounter/{id}/_history", Name = "FhirEncounterHistory"), Authorize(Actions.ReadEncounter)]
    public static Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        Source.HistoryAsync(FhirLinks.StreamOf(id), id, _count, _page, request, session, scope, ct);

    /// <summary>Visits of this facility by <c>patient</c>, <c>date</c> (the visit's day) and <c>status</c>.</summary>
    [ReadsChart("fhir.encounter.search")]
    [WolverineGet("/fhir/Encounter", Name = "SearchFhirEncounters"), Authorize(Actions.ReadEncounter)]
    public static async Task<FhirResponse> Search(string? patient, string? date, string? status, int? _count, int? _page,
        HttpRequest request, IQuerySession session, CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        var (patientId, badPatient) = FhirLinks.Reference("patient", patient, "Patient");
        var (statuses, badStatus) = FhirLinks.Codes("status", status, Statuses);
        var (when, badDate) = FhirDateRange.Parse("date", request.Query["date"], clock.GetUtcNow());
        if ((FhirLinks.Unsupported(request, "patient", "date", "status") ?? FhirPage.Error(_count, _page, request) ?? badPatient ?? badStatus
             ?? (when is null ? FhirResponse.Invalid(badDate!) : null)) is { } refused)
            return refused;

        var query = session.Query<EncounterView>().Where(e => e.FacilityId == scope.FacilityId);
        if (patientId is { } p) query = query.Where(e => e.PatientId == p);
        if (statuses is not null)
        {
            var wanted = Enum.GetValues<EncounterStatus>().Where(s => statuses.Contains(EncounterTransitions.Name(s))).ToArray();
            query = query.Where(e => wanted.Contains(e.Status));
        }
        // The visit's day as the module defines it (arrival, else appointment, else planning).
        if (when != FhirDateRange.Always) query = query.Where(e => e.Day >= when!.FromDay && e.Day < when.ToDay);

        var paging = FhirPage.Of(_count, _page, request);
        var found = await paging.Read(query.OrderByDescending(e => e.PlannedAt).ThenBy(e => e.Id), ct);
        return await FhirSearch.PageAsync(Source, found.Items.Select(e => (e.Id, e.Id.ToString(), e.PatientId)).ToList(), found.Total, found.HasMore,
            found.Next,
            paging, request, session, scope.TenantId, ct);
    }
}
