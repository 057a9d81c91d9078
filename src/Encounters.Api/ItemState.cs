using System.Text.Json.Serialization;

namespace Encounters;

/// <summary>An ordered lab test's place in the specimen lifecycle: the lab's vocabulary, shown on the chart too.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ItemState>))]
public enum ItemState
{
    [JsonStringEnumMemberName("awaiting-collection")] AwaitingCollection,
    [JsonStringEnumMemberName("collected")] Collected,
    [JsonStringEnumMemberName("received")] Received,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}
