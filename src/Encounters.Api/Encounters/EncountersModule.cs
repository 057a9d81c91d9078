namespace Encounters.Encounters;

/// <summary>Everything the encounters module keeps in the store: its event types, read models and projections.</summary>
public static class EncountersModule
{
    public static void Configure(StoreOptions opts)
    {
        EncounterSchema.Configure(opts);
        CloseGatePolicy.Configure(opts);
        EncounterViewSchema.Configure(opts);
        VisitDiagnosesProjection.Configure(opts);
    }
}
