using System.Text.RegularExpressions;

namespace Encounters.Contracts;

/// <summary>An ICD-10 diagnosis as a clinician assessed it.</summary>
public partial record Diagnosis(string Code, string Display)
{
    /// <summary>ICD-10 code shape: a letter, two characters, then an optional dot and up to four more (e.g. J06.9).</summary>
    [GeneratedRegex(@"\A[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?\z")]
    public static partial Regex CodeShape();
}

/// <summary>
/// What other modules may read of a visit's assessment: its diagnoses, published by the Encounters module in the same
/// transaction as the note (an inline projection), so the problem list can promote them at once without reading the visit.
/// </summary>
public sealed class VisitDiagnoses : Scope.IPatientChart
{
    public static string Resource => "Encounter";

    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public string FacilityId { get; set; } = "";
    public Diagnosis[] Diagnoses { get; set; } = [];
}
