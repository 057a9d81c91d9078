namespace Encounters.Fhir;

/// <summary>
/// The filter most searches take: a patient, an encounter (under the name the resource type gives it: <c>encounter</c>, or
/// <c>context</c> for a ChargeItem) and statuses from a closed list, with the paging values, checked in one place.
/// </summary>
public sealed record FhirFilter(Guid? Patient, Guid? Encounter, string[]? Statuses)
{
    /// <summary>The filter, or why it is refused; with <paramref name="subjectRequired"/> a patient or an encounter must be named.</summary>
    public static (FhirFilter Filter, FhirResponse? Refused) Parse(HttpRequest request, string? patient, string? encounter, string? status,
        IReadOnlyCollection<string> statuses, int? count, int? page, string encounterName = "encounter", bool subjectRequired = false)
    {
        var (patientId, badPatient) = FhirLinks.Reference("patient", patient, "Patient");
        var (encounterId, badEncounter) = FhirLinks.Reference(encounterName, encounter, "Encounter");
        var (codes, badStatus) = FhirLinks.Codes("status", status, statuses);
        var missing = subjectRequired && patientId is null && encounterId is null ? FhirResponse.Invalid($"patient or {encounterName} is required.") : null;
        return (new FhirFilter(patientId, encounterId, codes),
            FhirLinks.Unsupported(request, "patient", encounterName, "status") ?? FhirPage.Error(count, page) ?? badPatient ?? badEncounter ?? badStatus ?? missing);
    }
}
