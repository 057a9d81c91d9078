using Encounters.Scope;
using Encounters.Security;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Encounters.Encounters;

public static class GetEncounterEndpoint
{
    [WolverineGet("/api/encounters/{id}", Name = "GetEncounter"), Authorize(Actions.ReadEncounter)]
    public static async Task<EncounterDetails?> Get(Guid id, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var encounter = await session.Events.AggregateStreamAsync<EncounterDetails>(id, token: ct);
        return encounter is null || encounter.FacilityId != scope.FacilityId ? null : encounter;
    }
}

/// <summary>The encounter as a reader sees it, aggregated from its events.</summary>
public sealed partial class EncounterDetails : IVersioned
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    [System.Text.Json.Serialization.JsonIgnore] public string FacilityId { get; set; } = "";
    public string Reason { get; set; } = "";
    public EncounterStatus Status { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }
    public DateTimeOffset PlannedAt { get; set; }
    public DateTimeOffset? ArrivedAt { get; set; }
    public string? CancellationReason { get; set; }
    public long Version { get; set; }

    public static EncounterDetails Create(JasperFx.Events.IEvent<EncounterPlanned> e) => new()
    {
        Id = e.Data.EncounterId, PatientId = e.Data.PatientId, FacilityId = e.Data.FacilityId, Reason = e.Data.Reason,
        Status = EncounterStatus.Planned, ScheduledAt = e.Data.ScheduledAt, PlannedAt = e.Timestamp,
    };

    public void Apply(PatientCheckedIn e)
    {
        Status = EncounterStatus.Arrived;
        ArrivedAt = e.ArrivedAt;
    }

    public void Apply(EncounterCancelled e)
    {
        Status = EncounterStatus.Cancelled;
        CancellationReason = e.Reason;
    }
}
