namespace Encounters.Encounters;

/// <summary>What a command answers: the encounter as its command left it.</summary>
public record EncounterResponse(Guid Id, Guid PatientId, EncounterStatus Status, long Version) : Scope.IVersioned
{
    public static EncounterResponse From(Encounter e, long version) => new(e.Id, e.PatientId, e.Status, version);
}
