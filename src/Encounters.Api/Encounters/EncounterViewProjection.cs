using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Aggregation;

namespace Encounters.Encounters;

/// <summary>
/// The encounter view, kept inline with the encounter's events. Its status follows the transitions table for every fact,
/// so a new command that only moves the encounter changes nothing here; the view's own methods add what it shows besides.
/// </summary>
public sealed partial class EncounterViewProjection : SingleStreamProjection<EncounterView, Guid>
{
    // Evolve alone would apply to every stream's events: keep to the encounter's.
    public EncounterViewProjection()
    {
        foreach (var type in EncounterSchema.EventTypes) IncludeType(type);
    }

    public override EncounterView? Evolve(EncounterView? view, Guid id, IEvent e)
    {
        if (e.Data is EncounterPlanned planned) return EncounterView.Planned(planned);
        if (view is null) return null;
        view.Status = EncounterTransitions.After(view.Status, e.Data);
        switch (e)
        {
            case IEvent<PatientCheckedIn> x: view.Arrived(x.Data); break;
            case IEvent<VitalSignsRecorded> x: view.Measured(x); break;
            case IEvent<ConsultStarted> x: view.Attended(x.Data); break;
            case IEvent<ClinicalNoteRecorded> x: view.Noted(x); break;
            case IEvent<ClinicalNoteAmended> x: view.Noted(x); break;
            case IEvent<EncounterClosed> x: view.Closed(x); break;
            case IEvent<EncounterCancelled> x: view.Cancelled(x.Data); break;
            case IEvent<PatientDidNotAttend> x: view.Cancelled(x.Data); break;
            case IEvent<EncounterMarkedEnteredInError> x: view.MarkedInError(x.Data); break;
            case IEvent<DiagnosticReportReceived> x: view.Reported(x.Data); break;
            case IEvent<ImagingReportReceived> x: view.Reported(x.Data); break;
        }
        return view;
    }
}

public static class EncounterViewSchema
{
    /// <summary>The current view is kept inline (one document); an earlier one is rebuilt from the events.</summary>
    public static async Task<EncounterView?> LoadAsync(Guid id, long? version, DateTimeOffset? asOf, IQuerySession session,
        CancellationToken ct) =>
        version is null && asOf is null
            ? await session.LoadAsync<EncounterView>(id, ct)
            : await session.Events.AggregateStreamAsync<EncounterView>(id, version ?? 0, asOf, token: ct);

    /// <summary>The view is the one inline read model of the encounter: the queue lists and the FHIR searches read it too.</summary>
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<EncounterViewProjection>(ProjectionLifecycle.Inline);
        IndexedColumns.Store<EncounterView>(opts, x => x.FacilityId, x => x.Day, x => x.PatientId);
        opts.Schema.For<EncounterView>()
            .Index(x => x.FacilityId)
            .Index(x => x.Day)
            .Index(x => x.PatientId);
    }
}
