using Encounters.Medications;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>
/// The pharmacy's tasks: an active prescription opens "dispense" for pharmacists, due when the prescription expires; it
/// closes when nothing is left to dispense or the prescription moves on (completed, stopped, cancelled, in error).
/// </summary>
internal static class MedicationTasks
{
    public static async Task Apply(TaskProjection.TaskBatch tasks, IEvent e, string facility)
    {
        switch (e.Data)
        {
            case MedicationRequested { Draft: false } requested:
                Open(tasks, e, facility, requested.PrescriptionId, requested.EncounterId, requested.Line, requested.ValidUntil);
                break;

            case MedicationRequestSigned signed:
                Open(tasks, e, facility, signed.PrescriptionId, signed.EncounterId, signed.Line, signed.ValidUntil);
                break;

            case MedicationDispensed { RemainingAfter: <= 0 } dispensed:
                await tasks.Close(TaskKinds.DispenseMedication, dispensed.PrescriptionId, TaskStatuses.Completed, e);
                break;

            case MedicationRequestStatusChanged changed:
                await tasks.Close(TaskKinds.DispenseMedication, changed.PrescriptionId,
                    changed.Status == PrescriptionStatus.Completed ? TaskStatuses.Completed : TaskStatuses.Cancelled, e);
                break;
        }
    }

    private static void Open(TaskProjection.TaskBatch tasks, IEvent e, string facility, Guid prescription, Guid encounter, MedicationLine line,
        DateTimeOffset validUntil) =>
        tasks.Open(TaskKinds.DispenseMedication, prescription, e, facility, t =>
        {
            t.Title = $"Dispense {line.Name} {line.Strength}: {line.Quantity:0.##} {line.DispenseUnit}" +
                      (line.Refills > 0 ? $" (+{line.Refills} refills)" : "");
            t.Role = Roles.Pharmacist;
            t.DueAt = validUntil;
            (t.EncounterId, t.PrescriptionId) = (encounter, prescription);
        });
}
