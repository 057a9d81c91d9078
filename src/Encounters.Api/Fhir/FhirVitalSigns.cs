using System.Globalization;
using Encounters.Encounters;
using JasperFx.Events;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// FHIR vital-sign Observations (LOINC codes, UCUM units) from one set of vitals recorded on the encounter stream, id
/// <c>vs.{encounter}.{stream version}.{sign}</c>. A recorded set never changes: its one version is the stream version that recorded it.
/// </summary>
public static class FhirVitalSigns
{
    private sealed record Sign(string Key, string Loinc, string Display, string Unit, Func<VitalSignsRecorded, decimal?> Value);

    private static readonly Sign[] Signs =
    [
        new("pulse", "8867-4", "Heart rate", "/min", v => v.Vitals.Pulse),
        new("temperature", "8310-5", "Body temperature", "Cel", v => v.Vitals.TemperatureC),
        new("respiratory-rate", "9279-1", "Respiratory rate", "/min", v => v.Vitals.RespiratoryRate),
        new("spo2", "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", v => v.Vitals.SpO2),
        new("weight", "29463-7", "Body weight", "kg", v => v.Vitals.WeightKg),
        new("height", "8302-2", "Body height", "cm", v => v.Vitals.HeightCm),
        new("bmi", "39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", v => v.Bmi),
        new("pain", "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "{score}", v => v.Vitals.PainScore),
    ];

    private static readonly Sign Systolic = new("systolic", "8480-6", "Systolic blood pressure", "mm[Hg]", v => v.Vitals.SystolicBp);
    private static readonly Sign Diastolic = new("diastolic", "8462-4", "Diastolic blood pressure", "mm[Hg]", v => v.Vitals.DiastolicBp);

    public static (Guid Encounter, long Version, string Sign)? Parse(string id) =>
        id.Split('.') is ["vs", var encounter, var version, var sign] && Guid.TryParseExact(encounter, "N", out var stream) && stream != Guid.Empty
        && long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1
            ? (stream, v, sign)
            : null;

    /// <summary>Every sign measured in one recorded set (blood pressure as one panel of two components).</summary>
    public static IEnumerable<R4.Observation> Map(IEvent recorded, Guid patient, string tenant)
    {
        if (recorded.Data is not VitalSignsRecorded vitals) yield break;
        R4.Observation Observation(string key, string loinc, string display) => new()
        {
            Id = $"vs.{vitals.EncounterId:N}.{recorded.Version}.{key}",
            Meta = new R4.Meta { VersionId = recorded.Version.ToString(), LastUpdated = recorded.Timestamp },
            Status = R4.ObservationStatus.Final,
            Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")],
            Code = new R4.CodeableConcept("http://loinc.org", loinc, display, display),
            Subject = FhirLinks.To("Patient", patient),
            Encounter = FhirLinks.To("Encounter", vitals.EncounterId),
            Effective = new R4.FhirDateTime(vitals.RecordedAt),
        };

        if (Systolic.Value(vitals) is { } systolic && Diastolic.Value(vitals) is { } diastolic)
        {
            var bp = Observation("bp", "85354-9", "Blood pressure panel with all children optional");
            bp.Component.Add(Component(Systolic, systolic));
            bp.Component.Add(Component(Diastolic, diastolic));
            yield return bp;
        }
        foreach (var sign in Signs)
            if (sign.Value(vitals) is { } value)
            {
                var observation = Observation(sign.Key, sign.Loinc, sign.Display);
                observation.Value = FhirLabObservation.Quantity(value, sign.Unit);
                yield return observation;
            }
    }

    private static R4.Observation.ComponentComponent Component(Sign sign, decimal value) => new()
    {
        Code = new R4.CodeableConcept("http://loinc.org", sign.Loinc, sign.Display, sign.Display),
        Value = FhirLabObservation.Quantity(value, sign.Unit),
    };

    /// <summary>One vital sign by id; <paramref name="version"/> (vread) must be the version that recorded it.</summary>
    public static async Task<FhirResponse> ReadAsync(string id, string? version, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        if (!Permissions.AnyRoleAllows(scope.User, Actions.ReadTriage))
            return FhirResponse.Outcome(403, R4.OperationOutcome.IssueType.Forbidden, "auth.forbidden", "Vital signs are triage data, which your roles do not show.");
        if (Parse(id) is not { } key || (version is not null && version != key.Version.ToString())) return FhirResponse.NotFound("Observation", id);
        var events = await session.Events.FetchStreamAsync(key.Encounter, key.Version, token: ct);
        if (events.Count < key.Version || events[0].Data is not EncounterPlanned planned
            || await FacilityGuard.ShownAsync(new StreamOwner(planned.FacilityId, planned.PatientId), scope, session, ct) is not { Status: null }
            || Map(events[^1], planned.PatientId, scope.TenantId).FirstOrDefault(o => o.Id == id) is not { } observation)
            return FhirResponse.NotFound("Observation", id);
        return new FhirResponse(observation, patients: [planned.PatientId]);
    }
}
