using Encounters.Encounters;
using Encounters.Lab;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Lab;

/// <summary>
/// Keeps, per encounter, the lab facts its close gate needs (<see cref="LabStatus"/>): items not yet
/// resolved (released, cancelled or results-to-follow) and released critical results not yet acknowledged.
/// Inline, so a close sees every lab event committed before it.
/// </summary>
public sealed partial class EncounterLabStatusProjection : MultiStreamProjection<LabStatus, Guid>
{
    public EncounterLabStatusProjection()
    {
        Identity<ILabOrderEvent>(e => e.EncounterId);
    }

    public LabStatus Create(LabOrderPlaced e)
    {
        var status = new LabStatus { Id = e.EncounterId };
        Apply(e, status);
        return status;
    }

    public void Apply(LabOrderPlaced e, LabStatus status)
    {
        foreach (var item in e.Items) status.OpenItems.Add(item.ItemId);
    }

    public void Apply(LabOrderItemCancelled e, LabStatus status) => status.OpenItems.Remove(e.ItemId);
    public void Apply(LabOrderCancelled e, LabStatus status) => status.OpenItems.ExceptWith(e.ItemIds);
    public void Apply(LabResultsToFollowMarked e, LabStatus status) => status.OpenItems.ExceptWith(e.ItemIds);

    public void Apply(ResultReleased e, LabStatus status)
    {
        status.OpenItems.Remove(e.ResultId);
        if (e.Critical) status.UnacknowledgedCritical.Add(e.ResultId);
        else status.UnacknowledgedCritical.Remove(e.ResultId);
    }

    public void Apply(CriticalResultAcknowledged e, LabStatus status) => status.UnacknowledgedCritical.Remove(e.ResultId);

    public static void Configure(StoreOptions opts) => opts.Projections.Add<EncounterLabStatusProjection>(ProjectionLifecycle.Inline);
}
