using System.Globalization;
using Encounters.Lab;
using Encounters.Requests;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR Observation for one analyte of a lab report (id <c>lab.{report}.{n}</c>): LOINC code, value in UCUM units (or a coded
/// answer, or text), the reference range used and its interpretation (N, L, H, LL, HH; A, AA for coded answers), as shown by the
/// report (<see cref="FhirDiagnosticReport.Shown"/>).
/// </summary>
public static class FhirLabObservation
{
    public static readonly FhirStream<LabReport> Source = new("Observation",
        e => e is ResultEntered r ? new StreamOwner(r.FacilityId, r.PatientId) : null,
        fold => Parse(fold.Id) is { } key ? Map(fold.State, key.Index, fold.Tenant) : null);

    public static string Id(Guid report, int index) => $"lab.{report:N}.{index}";

    public static (Guid Report, int Index)? Parse(string id) =>
        id.Split('.') is ["lab", var report, var index] && Guid.TryParseExact(report, "N", out var stream) && stream != Guid.Empty
        && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < Limits.MaxItems
            ? (stream, n)
            : null;

    public static IEnumerable<R4.Observation> All(LabReport report, string tenant) =>
        FhirDiagnosticReport.Shown(report).Version.Analytes.Select((_, index) => Map(report, index, tenant)!);

    public static R4.Observation? Map(LabReport report, int index, string tenant)
    {
        var (shown, status) = FhirDiagnosticReport.Shown(report);
        if (index >= shown.Analytes.Length) return null;
        var analyte = shown.Analytes[index];
        var observation = new R4.Observation
        {
            Id = Id(report.Id, index),
            Status = Hl7.Fhir.Utility.EnumUtility.ParseLiteral<R4.ObservationStatus>(status),
            Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")],
            Code = new R4.CodeableConcept("http://loinc.org", analyte.Code, analyte.Name, analyte.Name),
            Subject = FhirLinks.To("Patient", report.PatientId),
            Encounter = FhirLinks.To("Encounter", report.EncounterId),
            BasedOn = [FhirLinks.To("ServiceRequest", report.Id)],
            Specimen = FhirLinks.To("Specimen", report.SampleId),
            Effective = new R4.FhirDateTime(shown.EnteredAt),
            Issued = shown.ReleasedAt,
            // Numeric results are UCUM quantities; coded and ordinal ones an answer of the analyte's value set; the rest text.
            Value = analyte switch
            {
                { Value: { } value } => Quantity(value, analyte.Unit),
                { ValueCode: { } answer } => new R4.CodeableConcept(FhirLinks.System(tenant, "lab-answer"), answer, analyte.ValueDisplay, analyte.ValueDisplay),
                { Text: { Length: > 0 } text } => new R4.FhirString(text),
                _ => null,
            },
            Interpretation = analyte.Flag is { Length: > 0 } flag ? [Interpretation(flag)] : [],
        };
        if (analyte.ReferenceLow is not null || analyte.ReferenceHigh is not null)
            observation.ReferenceRange.Add(new R4.Observation.ReferenceRangeComponent
            {
                Low = analyte.ReferenceLow is { } low ? Quantity(low, analyte.Unit) : null,
                High = analyte.ReferenceHigh is { } high ? Quantity(high, analyte.Unit) : null,
            });
        return observation;
    }

    public static R4.Quantity Quantity(decimal value, string unit) =>
        new() { Value = value, Unit = unit, System = "http://unitsofmeasure.org", Code = unit };

    private static R4.CodeableConcept Interpretation(string flag) => new("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", flag,
        flag switch
        {
            "LL" => "Critical low", "L" => "Low", "H" => "High", "HH" => "Critical high", "A" => "Abnormal", "AA" => "Critical abnormal",
            _ => "Normal",
        });
}
