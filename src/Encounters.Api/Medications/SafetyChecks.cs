using Encounters.Patients;

namespace Encounters.Medications;

/// <summary>One reason a line may be unsafe; the prescriber may override it by its code, with a reason.</summary>
public record SafetyFinding(int Line, string Code, string Message);

/// <summary>The checks run on every prescription line against the patient's allergies and current medications.</summary>
public static class SafetyChecks
{
    public const string Allergy = "allergy", DuplicateTherapy = "duplicate-therapy", AllergiesUnknown = "allergies-unknown",
        DoseOutOfRange = "dose-out-of-range";

    public static IEnumerable<SafetyFinding> Of(int index, Medicine medicine, decimal dose, Patient patient, IReadOnlyList<Medicine> formulary,
        IEnumerable<(string Class, string What)> currentTherapies)
    {
        foreach (var allergy in patient.Allergies.Where(a => a.Status == AllergyStatus.Active && Matches(a.Substance, medicine, formulary)))
            yield return new(index, Allergy, $"Active allergy to {allergy.Substance.Text}" +
                $"{(allergy.Reaction is null ? "" : $" ({allergy.Reaction})")}: {medicine.Name} is {(medicine.AllergyClass is { } c ? $"in class {c}" : "the same substance")}.");
        if (patient.AllergiesAsked == AllergiesAsked.Unknown)
            yield return new(index, AllergiesUnknown, "Allergies have never been asked: record them, or 'no known allergies'.");
        foreach (var (_, what) in currentTherapies.Where(t => t.Class == medicine.TherapeuticClass))
            yield return new(index, DuplicateTherapy, $"{what} is already active in the same class ({medicine.TherapeuticClass}).");
        if (dose < medicine.MinDose || dose > medicine.MaxDose)
            yield return new(index, DoseOutOfRange,
                $"{dose:0.##} {medicine.AmountUnit} is outside the usual {medicine.MinDose:0.##}-{medicine.MaxDose:0.##} {medicine.AmountUnit} per dose.");
    }

    /// <summary>
    /// An allergy names a formulary code, an allergy class, or free text ("Penicillin", "sulfa drugs"); it matches a medicine
    /// of the same code or name, or of the class the named substance belongs to.
    /// </summary>
    public static bool Matches(Substance substance, Medicine medicine, IReadOnlyList<Medicine> formulary)
    {
        var code = substance.Code?.Trim().ToLowerInvariant();
        var text = substance.Text.Trim().ToLowerInvariant();
        var named = formulary.Where(m => m.Id.Equals(code, StringComparison.OrdinalIgnoreCase) || m.Name.ToLowerInvariant() == text).ToList();
        if (named.Any(m => m.Id == medicine.Id || m.Name == medicine.Name)) return true;
        if (medicine.Name.ToLowerInvariant().Split(' ', '+').Contains(text)) return true;
        if (medicine.AllergyClass is not { } cls) return false;
        return named.Any(m => m.AllergyClass == cls) || code == cls || text.Contains(cls.TrimEnd('s'))
               || (cls == "sulfonamides" && text.Contains("sulfa"));
    }
}
