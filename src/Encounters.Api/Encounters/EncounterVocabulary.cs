using System.Text.Json.Serialization;

namespace Encounters.Encounters;

// The words of a visit: its FHIR status, the SOAP sections, how a visit ends.

/// <summary>FHIR Encounter.status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EncounterStatus>))]
public enum EncounterStatus
{
    [JsonStringEnumMemberName("planned")] Planned,
    [JsonStringEnumMemberName("arrived")] Arrived,
    [JsonStringEnumMemberName("triaged")] Triaged,
    [JsonStringEnumMemberName("in-progress")] InProgress,
    [JsonStringEnumMemberName("onleave")] OnLeave,
    [JsonStringEnumMemberName("finished")] Finished,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("entered-in-error")] EnteredInError,
}

[JsonConverter(typeof(JsonStringEnumConverter<NoteSection>))]
public enum NoteSection
{
    [JsonStringEnumMemberName("subjective")] Subjective,
    [JsonStringEnumMemberName("objective")] Objective,
    [JsonStringEnumMemberName("assessment")] Assessment,
    [JsonStringEnumMemberName("plan")] Plan,
}

[JsonConverter(typeof(JsonStringEnumConverter<Disposition>))]
public enum Disposition
{
    [JsonStringEnumMemberName("discharged")] Discharged,
    [JsonStringEnumMemberName("referred")] Referred,
    [JsonStringEnumMemberName("admitted")] Admitted,
    [JsonStringEnumMemberName("follow-up")] FollowUp,
}

public static class NoteSections
{
    /// <summary>A section as a heading reads: "Assessment".</summary>
    public static string Title(this NoteSection section) => ApiText.Of(section) switch
    {
        var s => char.ToUpperInvariant(s[0]) + s[1..],
    };
}


/// <summary>One version of a SOAP section: free text, plus diagnoses (assessment) or a follow-up date (plan).</summary>
public record NoteContent(string Text, Diagnosis[]? Diagnoses = null, DateOnly? FollowUpDate = null);
