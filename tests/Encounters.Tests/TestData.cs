namespace Encounters.Tests;

public static class TestData
{
    /// <summary>A tenant no other test uses: isolation without wiping the database.</summary>
    public static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..12];

    public static object Patient(string name = "Amina Okafor", string? mrn = null) =>
        new { fullName = name, dateOfBirth = "1987-04-12", sex = "female", phone = "+234 801 555 0101", mrn };

    public static async Task<Guid> RegisterPatient(Caller caller, string name = "Amina Okafor") =>
        (await caller.Post("/api/patients", Patient(name), 201)).Id;

    public static async Task<Guid> PlanEncounter(Caller caller, Guid? patientId = null)
    {
        var patient = patientId ?? await RegisterPatient(caller);
        return (await caller.Post("/api/encounters", new { patientId = patient, reason = "Fever and cough" }, 201)).Id;
    }
}
