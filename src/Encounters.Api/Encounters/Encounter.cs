using System.Text.Json.Serialization;
using JasperFx.Events;
using Marten;

namespace Encounters.Encounters;

// Events of the encounter stream: facts in FHIR Encounter vocabulary, never changed once written.
public record EncounterPlanned(Guid EncounterId, Guid PatientId, string FacilityId, string Reason, DateTimeOffset? ScheduledAt);

public record PatientCheckedIn(Guid EncounterId, DateTimeOffset ArrivedAt);

public record EncounterCancelled(Guid EncounterId, string Reason, DateTimeOffset CancelledAt);

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

/// <summary>The encounter's write model: only what its decisions need.</summary>
public sealed partial record Encounter(Guid Id, string FacilityId, Guid PatientId, EncounterStatus Status)
{
    public long Version { get; set; }

    public static Encounter Create(EncounterPlanned e) => new(e.EncounterId, e.FacilityId, e.PatientId, EncounterStatus.Planned);

    public Encounter Apply(PatientCheckedIn _) => this with { Status = EncounterStatus.Arrived };

    public Encounter Apply(EncounterCancelled _) => this with { Status = EncounterStatus.Cancelled };
}

public static class EncounterSchema
{
    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventType<EncounterPlanned>();
        opts.Events.AddEventType<PatientCheckedIn>();
        opts.Events.AddEventType<EncounterCancelled>();
    }
}
