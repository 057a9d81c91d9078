using System.Text.Json.Serialization;

namespace Encounters;

/// <summary>How soon requested work is needed (FHIR request priority), shared by lab and imaging requests.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OrderPriority>))]
public enum OrderPriority
{
    [JsonStringEnumMemberName("stat")] Stat,
    [JsonStringEnumMemberName("urgent")] Urgent,
    [JsonStringEnumMemberName("routine")] Routine,
}
