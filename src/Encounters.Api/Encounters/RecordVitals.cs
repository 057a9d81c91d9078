
namespace Encounters.Encounters;

/// <summary>Vital signs in clinical units: mmHg, beats/min, °C, breaths/min, %, kg, cm, 0-10.</summary>
public record VitalSigns(
    int? SystolicBp = null,
    int? DiastolicBp = null,
    int? Pulse = null,
    decimal? TemperatureC = null,
    int? RespiratoryRate = null,
    int? SpO2 = null,
    decimal? WeightKg = null,
    decimal? HeightCm = null,
    int? PainScore = null);

public static class RecordVitalsEndpoint
{
    public static ProblemDetails Validate(VitalSigns command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.RecordVitals, Vitals.Errors(command));

    /// <summary>Records a set of vitals (any number of times); the first set triages an arrived patient.</summary>
    [WolverinePost("/api/encounters/{id}/vitals", Name = "RecordVitals"), Authorize(Actions.RecordVitals)]
    public static (EncounterResponse, Events) Post(VitalSigns command, [WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, TimeProvider clock) =>
        encounter.Decided(new VitalSignsRecorded(encounter.Id, command, Vitals.Bmi(command), Vitals.AbnormalFlags(command),
            clock.GetUtcNow()));
}

/// <summary>What is possible (else 400) and what is abnormal (flagged, never refused), for an adult outpatient.</summary>
public static class Vitals
{
    public static Dictionary<string, string[]> Errors(VitalSigns v)
    {
        var errors = new Dictionary<string, string[]>();
        void Range<T>(string field, T? value, T min, T max, string unit) where T : struct, IComparable<T>
        {
            if (value is { } x && (x.CompareTo(min) < 0 || x.CompareTo(max) > 0))
                errors[field] = [$"Must be between {min} and {max} {unit}."];
        }

        if (v == new VitalSigns()) errors["vitals"] = ["Record at least one measurement."];
        Range("systolicBp", v.SystolicBp, 40, 300, "mmHg");
        Range("diastolicBp", v.DiastolicBp, 20, 200, "mmHg");
        if (v.SystolicBp is null != v.DiastolicBp is null)
            errors[v.SystolicBp is null ? "systolicBp" : "diastolicBp"] = ["Blood pressure needs both systolic and diastolic."];
        else if (v.SystolicBp <= v.DiastolicBp && !errors.ContainsKey("systolicBp"))
            errors["systolicBp"] = ["Systolic must be greater than diastolic."];
        Range("pulse", v.Pulse, 20, 250, "beats/min");
        Range("temperatureC", v.TemperatureC, 30m, 45m, "°C");
        Range("respiratoryRate", v.RespiratoryRate, 1, 80, "breaths/min");
        Range("spO2", v.SpO2, 50, 100, "%");
        Range("weightKg", v.WeightKg, 0.3m, 500m, "kg");
        Range("heightCm", v.HeightCm, 20m, 272m, "cm");
        Range("painScore", v.PainScore, 0, 10, "(0-10)");
        return errors;
    }

    public static decimal? Bmi(VitalSigns v) =>
        v is { WeightKg: { } kg, HeightCm: { } cm } ? Math.Round(kg / (cm / 100m * (cm / 100m)), 1) : null;

    public static string[] AbnormalFlags(VitalSigns v)
    {
        var flags = new List<string>();
        if (v.SystolicBp >= 140 || v.DiastolicBp >= 90) flags.Add("blood-pressure-high");
        if (v.SystolicBp < 90 || v.DiastolicBp < 60) flags.Add("blood-pressure-low");
        if (v.Pulse > 100) flags.Add("pulse-high");
        if (v.Pulse < 50) flags.Add("pulse-low");
        if (v.TemperatureC >= 38m) flags.Add("temperature-high");
        if (v.TemperatureC < 35m) flags.Add("temperature-low");
        if (v.RespiratoryRate > 20) flags.Add("respiratory-rate-high");
        if (v.RespiratoryRate < 10) flags.Add("respiratory-rate-low");
        if (v.SpO2 < 94) flags.Add("spo2-low");
        if (v.PainScore >= 7) flags.Add("pain-severe");
        if (Bmi(v) is { } bmi && (bmi < 18.5m || bmi >= 30m)) flags.Add(bmi < 18.5m ? "bmi-low" : "bmi-high");
        return [.. flags];
    }
}
