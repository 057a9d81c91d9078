using System.Text.Json.Serialization;
using Encounters.Patients;

namespace Encounters.Lab;

public record Specimen(string Type, string Container);

/// <summary>A normal range; the most specific one matching the patient's sex and age applies.</summary>
public record ReferenceRange(decimal? Low, decimal? High, AdministrativeSex? Sex = null, int? AgeFromYears = null, int? AgeToYears = null)
{
    public bool Fits(AdministrativeSex sex, int ageYears) =>
        (Sex is null || Sex == sex) && (AgeFromYears is null || ageYears >= AgeFromYears) && (AgeToYears is null || ageYears <= AgeToYears);

    // An age band (a child's range) is more specific than a sex-specific adult range.
    [JsonIgnore] public int Specificity => (Sex is null ? 0 : 1) + (AgeFromYears is null && AgeToYears is null ? 0 : 2);
}

/// <summary>How an analyte is reported: a quantity, a code of its value set (ordinal: the set is ranked), or free text.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResultValueType>))]
public enum ResultValueType
{
    [JsonStringEnumMemberName("numeric")] Numeric,
    [JsonStringEnumMemberName("coded")] Coded,
    [JsonStringEnumMemberName("ordinal")] Ordinal,
    [JsonStringEnumMemberName("text")] Text,
}

/// <summary>One answer of a value set, with the flag the lab gives it (abnormal A, critical AA: acknowledged like LL/HH).</summary>
public record CodedValue(string Code, string Display, bool Abnormal = false, bool Critical = false)
{
    [JsonIgnore] public string Flag => Critical ? "AA" : Abnormal ? "A" : "N";
}

/// <summary>
/// One analyte: LOINC code and value type; numeric ones have a UCUM unit, ranges and critical limits, coded and ordinal
/// ones a value set (ordinal: in rank order).
/// </summary>
public record Analyte(string Code, string Name, string Unit, ReferenceRange[] ReferenceRanges, decimal? CriticalLow = null,
    decimal? CriticalHigh = null, ResultValueType Type = ResultValueType.Numeric, CodedValue[]? ValueSet = null)
{
    [JsonIgnore] public bool IsCoded => Type is ResultValueType.Coded or ResultValueType.Ordinal;

    public ReferenceRange? RangeFor(AdministrativeSex sex, int ageYears) =>
        ReferenceRanges.Where(r => r.Fits(sex, ageYears)).MaxBy(r => r.Specificity);
}
