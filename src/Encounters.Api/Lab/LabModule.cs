namespace Encounters.Lab;

/// <summary>Everything the lab module keeps in the store: its event types, read models and projections.</summary>
public static class LabModule
{
    public static void Configure(StoreOptions opts)
    {
        LabOrderSchema.Configure(opts);
        LabTurnaroundRollup.Configure(opts);
        LabOrderViewProjection.Configure(opts);
        EncounterLabStatusProjection.Configure(opts);
        SampleSchema.Configure(opts);
        LabResultSchema.Configure(opts);
        LabReport.Configure(opts);
        LabCatalog.Configure(opts);
    }
}
