namespace Encounters.Patients;

/// <summary>Everything the patients module keeps in the store: its event types, read models and projections.</summary>
public static class PatientsModule
{
    public static void Configure(StoreOptions opts)
    {
        PatientSchema.Configure(opts);
    }
}
