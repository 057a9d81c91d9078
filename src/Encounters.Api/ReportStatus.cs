using System.Text.Json.Serialization;

namespace Encounters;

/// <summary>FHIR DiagnosticReport.status as lab and imaging reports (and the order items awaiting them) use it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiagnosticReportStatus>))]
public enum DiagnosticReportStatus
{
    [JsonStringEnumMemberName("registered")] Registered,
    [JsonStringEnumMemberName("preliminary")] Preliminary,
    [JsonStringEnumMemberName("final")] Final,
    [JsonStringEnumMemberName("amended")] Amended,
    [JsonStringEnumMemberName("corrected")] Corrected,
    [JsonStringEnumMemberName("appended")] Appended,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}
