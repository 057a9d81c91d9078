namespace Encounters.Medications;

public record ChangePrescriptionStatus(PrescriptionStatus? Status, string? Reason);

public static class ChangePrescriptionStatusEndpoint
{
    public static ProblemDetails Validate(ChangePrescriptionStatus command, [WriteAggregate] Prescription prescription, CurrentScope scope)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.Status is null or PrescriptionStatus.Active) errors["status"] = ["One of completed, stopped, cancelled, entered-in-error."];
        Requests.Limits.Text(errors, "reason", command.Reason, Requests.Limits.Reason, required: command.Status != PrescriptionStatus.Completed);
        if (errors.Count > 0) return Problems.Validation(errors);

        // An active prescription moves on; a draft is only withdrawn; any but an erroneous one may be marked entered-in-error.
        var allowed = command.Status == PrescriptionStatus.EnteredInError
            ? prescription.Status != PrescriptionStatus.EnteredInError
            : prescription.Status == PrescriptionStatus.Active
              || (prescription.Status == PrescriptionStatus.Draft && command.Status == PrescriptionStatus.Cancelled);
        if (!allowed)
            return Problems.Conflict("medication.invalid_transition", $"The prescription is {Name(prescription.Status)}.",
                new { currentStatus = Name(prescription.Status) });
        return command.Status == PrescriptionStatus.Cancelled && prescription.Dispensed > 0
            ? Problems.Conflict("medication.already_dispensed", "Part of it was dispensed: stop it instead of cancelling.")
            : WolverineContinue.NoProblems;
    }

    /// <summary>Completes, stops (with a reason), cancels (nothing dispensed yet) or marks a prescription entered-in-error.</summary>
    [WolverinePost("/api/prescriptions/{id}/status", Name = "ChangePrescriptionStatus"), Authorize(Actions.ChangePrescription)]
    public static async Task<(Prescription, Events)> Post(ChangePrescriptionStatus command, [WriteAggregate] Prescription prescription,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        await DraftSettlement.SettleAsync(session, prescription, ct);
        var changed = new MedicationRequestStatusChanged(prescription.Id, prescription.EncounterId, command.Status!.Value, command.Reason?.Trim(),
            clock.GetUtcNow());
        var after = prescription.Copy();
        after.Apply(changed);
        after.Version = prescription.Version + 1;
        return (after, [changed]);
    }

    public static string Name(PrescriptionStatus status) => ApiText.Of(status);
}
