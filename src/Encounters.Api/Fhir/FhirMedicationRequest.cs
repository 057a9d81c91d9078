using Encounters.Audit;
using Encounters.Medications;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>FHIR MedicationRequest from a prescription stream (one per medicine line), folded by the Medications module's Prescription.</summary>
public static class FhirMedicationRequest
{
    public static readonly FhirStream<Prescription> Source = new("MedicationRequest",
        e => e is MedicationRequested r ? new StreamOwner(r.FacilityId, r.PatientId) : null, fold => Map(fold.State, fold.Tenant));

    public static R4.MedicationRequest Map(Prescription p, string tenant)
    {
        var line = p.Line;
        var medication = new R4.CodeableConcept("http://www.whocc.no/atc", line.Atc, line.TherapeuticClass, $"{line.Name} {line.Strength}");
        medication.Coding.Add(new R4.Coding(FhirLinks.System(tenant, "formulary"), line.Code, line.Name));
        var request = new R4.MedicationRequest
        {
            Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<R4.MedicationRequest.MedicationrequestStatus>(ApiText.Of(p.Status)),
            StatusReason = p.StatusReason is { Length: > 0 } reason ? new R4.CodeableConcept { Text = reason } : null,
            Intent = R4.MedicationRequest.MedicationRequestIntent.Order,
            Medication = medication,
            Subject = FhirLinks.To("Patient", p.PatientId),
            Encounter = FhirLinks.To("Encounter", p.EncounterId),
            AuthoredOn = new R4.FhirDateTime(p.PrescribedAt).Value,
            Requester = FhirLinks.Staff(tenant, p.PrescribedBy, p.PrescriberName),
            GroupIdentifier = new R4.Identifier(FhirLinks.System(tenant, "prescription-group"), p.GroupId.ToString()),
            DosageInstruction =
            [
                new R4.Dosage
                {
                    Text = $"{line.Dose} {line.DoseUnit} {line.Route} {line.Frequency} for {line.DurationDays} days",
                    PatientInstruction = line.Instructions,
                    Route = new R4.CodeableConcept { Text = line.Route },
                    Timing = new R4.Timing { Code = new R4.CodeableConcept { Text = line.Frequency } },
                    DoseAndRate = [new R4.Dosage.DoseAndRateComponent { Dose = new R4.Quantity { Value = line.Dose, Unit = line.DoseUnit } }],
                },
            ],
            DispenseRequest = new R4.MedicationRequest.DispenseRequestComponent
            {
                ValidityPeriod = new R4.Period(new R4.FhirDateTime(p.PrescribedAt), new R4.FhirDateTime(p.ValidUntil)),
                NumberOfRepeatsAllowed = line.Refills,
                Quantity = new R4.Quantity { Value = line.Quantity, Unit = line.DispenseUnit },
                ExpectedSupplyDuration = new R4.Duration { Value = line.DurationDays, Unit = "days", System = "http://unitsofmeasure.org", Code = "d" },
            },
        };
        foreach (var safety in p.Overrides) request.Note.Add(new R4.Annotation { Text = new R4.Markdown($"Override of {safety.Code} ({safety.Finding}): {safety.Reason}") });
        return request;
    }

    /// <summary>A prescription line of this facility (or under the caller's break-glass grant).</summary>
    [ReadsChart("fhir.medication-request")]
    [WolverineGet("/fhir/MedicationRequest/{id}", Name = "ReadFhirMedicationRequest"), Authorize(Actions.ReadMedications)]
    public static Task<FhirResponse> Read(string id, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, null, session, scope, ct);

    /// <summary>The prescription at one version of its stream (signed, amended, dispensed, stopped).</summary>
    [ReadsChart("fhir.medication-request")]
    [WolverineGet("/fhir/MedicationRequest/{id}/_history/{vid}", Name = "VreadFhirMedicationRequest"), Authorize(Actions.ReadMedications)]
    public static Task<FhirResponse> Vread(string id, string vid, IQuerySession session, CurrentScope scope, CancellationToken ct) =>
        Source.ReadAsync(FhirLinks.StreamOf(id), id, vid, session, scope, ct);

    /// <summary>Every version of the prescription, newest first, from its events.</summary>
    [ReadsChart("fhir.medication-request.history")]
    [WolverineGet("/fhir/MedicationRequest/{id}/_history", Name = "FhirMedicationRequestHistory"), Authorize(Actions.ReadMedications)]
    public static Task<FhirResponse> History(string id, int? _count, int? _page, HttpRequest request, IQuerySession session,
        CurrentScope scope, CancellationToken ct) =>
        Source.HistoryAsync(FhirLinks.StreamOf(id), id, _count, _page, request, session, scope, ct);
}
