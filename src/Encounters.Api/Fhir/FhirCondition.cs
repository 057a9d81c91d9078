using Encounters.Audit;
using Encounters.Patients;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>FHIR Condition: one problem-list entry on the patient stream, as the Patients module's Patient folds it (id = the condition's id).</summary>
public static class FhirCondition
{
    public static readonly FhirStream<Patient> Source = new("Condition",
        e => e is PatientRegistered r ? new StreamOwner(r.FacilityId, r.PatientId) : null,
        fold => fold.State.Problems.FirstOrDefault(c => c.Id.ToString() == fold.Id) is { } condition ? Map(condition, fold.State.Id, fold.Tenant) : null,
        created: (e, id) => e is ConditionRecorded r && r.Condition.Id.ToString() == id);

    public static R4.Condition Map(Condition c, Guid patient, string tenant) => new()
    {
        ClinicalStatus = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", ApiText.Of(c.Status)),
        VerificationStatus = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")],
        Code = new R4.CodeableConcept("http://hl7.org/fhir/sid/icd-10", c.Code, c.Display, c.Display),
        Subject = FhirLinks.To("Patient", patient),
        Encounter = c.EncounterId is { } visit ? FhirLinks.To("Encounter", visit) : null,
        Onset = c.Onset is { } onset ? new R4.FhirDateTime(onset.ToString("yyyy-MM-dd")) : null,
        RecordedDate = new R4.FhirDateTime(c.RecordedAt).Value,
        Recorder = FhirLinks.Staff(tenant, c.RecordedBy, c.RecordedByName),
    };

    /// <summary>The patient stream that holds a condition.</summary>
    private static async Task<Guid?> PatientOf(string id, IQuerySession session, CancellationToken ct) =>
        FhirLinks.StreamOf(id) is { } condition
            ? await session.Query<Patient>().Where(p => p.Problems.Any(c => c.Id == condition)).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct)
            : null;

    /// <summary>A problem of a patient of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.condition")]
    [WolverineGet("/fhir/Condition/{id}", Name = "ReadFhirCondition"), Authorize(Actions.ReadProblems)]
    public static async Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await PatientOf(id, session, ct), id, null, session, scope, ct);

    /// <summary>The problem at one version of its patient's stream.</summary>
    [ReadsChart("fhir.condition")]
    [WolverineGet("/fhir/Condition/{id}/_history/{vid}", Name = "VreadFhirCondition"), Authorize(Actions.ReadProblems)]
    public static async Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await PatientOf(id, session, ct), id, vid, session, scope, ct);

    /// <summary>Every version of the problem (one per version of its patient's stream since it was recorded), newest first.</summary>
    [ReadsChart("fhir.condition.history")]
    [WolverineGet("/fhir/Condition/{id}/_history", Name = "FhirConditionHistory"), Authorize(Actions.ReadProblems)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        await Source.HistoryAsync(await PatientOf(id, session, ct), id, _count, _page, request, session, scope, ct);
}
