using Encounters.Audit;
using Encounters.Patients;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>FHIR AllergyIntolerance: one allergy on the patient stream, as the Patients module's Patient folds it (id = the allergy's id).</summary>
public static class FhirAllergyIntolerance
{
    public static readonly FhirStream<Patient> Source = new("AllergyIntolerance",
        e => e is PatientRegistered r ? new StreamOwner(r.FacilityId, r.PatientId) : null,
        fold => fold.State.Allergies.FirstOrDefault(a => a.Id.ToString() == fold.Id) is { } allergy ? Map(allergy, fold.State.Id, fold.Tenant) : null,
        created: (e, id) => e is AllergyIntoleranceRecorded r && r.Allergy.Id.ToString() == id);

    public static R4.AllergyIntolerance Map(AllergyIntolerance a, Guid patient, string tenant)
    {
        var status = ApiText.Of(a.Status);
        var allergy = new R4.AllergyIntolerance
        {
            // An allergy entered in error has no clinical status (FHIR ait-2).
            ClinicalStatus = a.Status == AllergyStatus.EnteredInError ? null
                : new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", status),
            VerificationStatus = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                a.Status == AllergyStatus.EnteredInError ? "entered-in-error" : "confirmed"),
            Criticality = a.Criticality switch
            {
                AllergyCriticality.Low => R4.AllergyIntolerance.AllergyIntoleranceCriticality.Low,
                AllergyCriticality.High => R4.AllergyIntolerance.AllergyIntoleranceCriticality.High,
                _ => R4.AllergyIntolerance.AllergyIntoleranceCriticality.UnableToAssess,
            },
            Code = a.Substance.Code is { } code
                ? new R4.CodeableConcept(FhirLinks.System(tenant, "substance"), code, a.Substance.Text, a.Substance.Text)
                : new R4.CodeableConcept { Text = a.Substance.Text },
            Patient = FhirLinks.To("Patient", patient),
            RecordedDate = new R4.FhirDateTime(a.RecordedAt).Value,
            Recorder = FhirLinks.Staff(tenant, a.RecordedBy, a.RecordedByName),
        };
        if (a.Reaction is { Length: > 0 } reaction)
            allergy.Reaction.Add(new R4.AllergyIntolerance.ReactionComponent
            {
                Manifestation = [new R4.CodeableConcept { Text = reaction }],
                Severity = a.Severity switch
                {
                    AllergySeverity.Mild => R4.AllergyIntolerance.AllergyIntoleranceSeverity.Mild,
                    AllergySeverity.Moderate => R4.AllergyIntolerance.AllergyIntoleranceSeverity.Moderate,
                    AllergySeverity.Severe => R4.AllergyIntolerance.AllergyIntoleranceSeverity.Severe,
                    _ => null,
                },
            });
        if (a.StatusReason is { Length: > 0 } why) allergy.Note.Add(new R4.Annotation { Text = new R4.Markdown(why) });
        return allergy;
    }

    /// <summary>The patient stream that holds an allergy.</summary>
    private static async Task<Guid?> PatientOf(string id, IQuerySession session, CancellationToken ct) =>
        FhirLinks.StreamOf(id) is { } allergy
            ? await session.Query<Patient>().Where(p => p.Allergies.Any(a => a.Id == allergy)).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct)
            : null;

    /// <summary>An allergy of a patient of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.allergy-intolerance")]
    [WolverineGet("/fhir/AllergyIntolerance/{id}", Name = "ReadFhirAllergyIntolerance"), Authorize(Actions.ReadAllergies)]
    public static async Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await PatientOf(id, session, ct), id, null, session, scope, ct);

    /// <summary>The allergy at one version of its patient's stream.</summary>
    [ReadsChart("fhir.allergy-intolerance")]
    [WolverineGet("/fhir/AllergyIntolerance/{id}/_history/{vid}", Name = "VreadFhirAllergyIntolerance"), Authorize(Actions.ReadAllergies)]
    public static async Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        await Source.ReadAsync(await PatientOf(id, session, ct), id, vid, session, scope, ct);

    /// <summary>Every version of the allergy (one per version of its patient's stream since it was recorded), newest first.</summary>
    [ReadsChart("fhir.allergy-intolerance.history")]
    [WolverineGet("/fhir/AllergyIntolerance/{id}/_history", Name = "FhirAllergyIntoleranceHistory"), Authorize(Actions.ReadAllergies)]
    public static async Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        await Source.HistoryAsync(await PatientOf(id, session, ct), id, _count, _page, request, session, scope, ct);
}
