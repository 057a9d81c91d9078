using Encounters.Medications;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>
/// The pharmacy's tasks: an active prescription opens "dispense" for pharmacists, due when the prescription expires; it
/// closes when nothing is left to dispense or the prescription moves on (completed, stopped, cancelled, in error).
/// </summary>
public sealed partial class TaskProjection
{
    public async Task Project(MedicationRequested requested, IEvent e, IDocumentOperations ops)
    {
        if (!requested.Draft) await OpenDispensing(ops, e, requested.PrescriptionId, requested.EncounterId, requested.Line, requested.ValidUntil);
    }

    public Task Project(MedicationRequestSigned signed, IEvent e, IDocumentOperations ops) =>
        OpenDispensing(ops, e, signed.PrescriptionId, signed.EncounterId, signed.Line, signed.ValidUntil);

    public Task Project(MedicationDispensed dispensed, IEvent e, IDocumentOperations ops) =>
        dispensed.RemainingAfter <= 0
            ? Close(ops, e, TaskKinds.DispenseMedication, dispensed.PrescriptionId, TaskStatuses.Completed)
            : Task.CompletedTask;

    public Task Project(MedicationRequestStatusChanged changed, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, TaskKinds.DispenseMedication, changed.PrescriptionId,
            changed.Status == PrescriptionStatus.Completed ? TaskStatuses.Completed : TaskStatuses.Cancelled);

    private static Task OpenDispensing(IDocumentOperations ops, IEvent e, Guid prescription, Guid encounter, MedicationLine line,
        DateTimeOffset validUntil) =>
        Open(ops, e, TaskKinds.DispenseMedication, prescription, t =>
        {
            t.Title = $"Dispense {line.Name} {line.Strength}: {line.Quantity:0.##} {line.DispenseUnit}" +
                      (line.Refills > 0 ? $" (+{line.Refills} refills)" : "");
            t.Role = Roles.Pharmacist;
            t.DueAt = validUntil;
            (t.EncounterId, t.PrescriptionId) = (encounter, prescription);
        });
}
