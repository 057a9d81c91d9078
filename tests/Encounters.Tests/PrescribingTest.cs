namespace Encounters.Tests;

/// <summary>What prescribing tests share: a visit whose allergies were asked, a pharmacist, a typical line.</summary>
public abstract class PrescribingTest(AppFixture app) : ClinicTest(app)
{
    protected Caller Pharmacist => As("pharmacist", "phil");

    protected static object Amoxicillin(object[]? overrides = null, int quantity = 21) => new
    {
        code = "AMOX-500", dose = 500, doseUnit = "mg", route = "oral", frequency = "three-times-daily", durationDays = 7, quantity,
        refills = 0, instructions = "After meals", overrides,
    };

    /// <summary>A visit in consult whose patient's allergies were asked: none, or the given one.</summary>
    protected async Task<(Guid Encounter, Guid Patient)> Visit(object? allergy = null)
    {
        var encounter = await InConsult();
        var patient = await PatientOf(encounter);
        await Nurse.Post($"/api/patients/{patient}/allergies", allergy ?? new { noKnownAllergies = true }, 200);
        return (encounter, patient);
    }

    protected Task<Response> Prescribe(Guid encounter, int expect, params object[] lines) =>
        Doctor.Post($"/api/encounters/{encounter}/prescriptions", new { lines }, expect);
}
