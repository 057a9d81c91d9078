namespace Encounters.Medications;

public record DispenseMedication(decimal? Quantity, string? Lot, DateOnly? LotExpiry);

public static class DispenseMedicationEndpoint
{
    public static ProblemDetails Validate(DispenseMedication command, [WriteAggregate] Prescription prescription, CurrentScope scope, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (command.Quantity is not (> 0 and <= 100_000)) errors["quantity"] = [$"Above 0, in {prescription.Line.DispenseUnit}."];
        Requests.Limits.Text(errors, "lot", command.Lot, Requests.Limits.Code, required: true);
        if (command.LotExpiry is not { } expiry || expiry > DateOnly.FromDateTime(now.UtcDateTime).AddYears(10))
            errors["lotExpiry"] = ["Required (yyyy-MM-dd)."];
        else if (expiry <= DateOnly.FromDateTime(now.UtcDateTime)) errors["lotExpiry"] = ["This batch has expired: do not dispense it."];
        if (errors.Count > 0) return Problems.Validation(errors);

        if (prescription.Status != PrescriptionStatus.Active)
            return Problems.Conflict("medication.not_active", $"The prescription is {ChangePrescriptionStatusEndpoint.Name(prescription.Status)}.",
                new { currentStatus = ChangePrescriptionStatusEndpoint.Name(prescription.Status) });
        if (prescription.Expired(now))
            return Problems.Conflict("medication.expired", $"The prescription expired on {prescription.ValidUntil:yyyy-MM-dd}.");
        return command.Quantity > prescription.Remaining
            ? Problems.Conflict("medication.over_dispense", $"At most {prescription.Remaining:0.##} {prescription.Line.DispenseUnit} remain to dispense.",
                new { remaining = prescription.Remaining })
            : WolverineContinue.NoProblems;
    }

    /// <summary>Records a dispense (FHIR MedicationDispense) against a prescription: a quantity from one batch.</summary>
    [WolverinePost("/api/prescriptions/{id}/dispense", Name = "DispenseMedication"), Authorize(Actions.DispenseMedication)]
    public static (Prescription, Events) Post(DispenseMedication command, [WriteAggregate] Prescription prescription, CurrentScope scope,
        TimeProvider clock)
    {
        var dispensed = new MedicationDispensed(prescription.Id, prescription.EncounterId, prescription.PatientId, Guid.CreateVersion7(),
            command.Quantity!.Value, command.Lot!.Trim(), command.LotExpiry!.Value, scope.UserName, clock.GetUtcNow(),
            prescription.Remaining - command.Quantity!.Value);
        var after = prescription.Copy();
        after.Apply(dispensed);
        after.Version = prescription.Version + 1;
        return (after, [dispensed]);
    }
}
