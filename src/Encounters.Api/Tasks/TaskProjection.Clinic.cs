using Encounters.Encounters;
using Encounters.Patients;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>The clinician's and the auditor's tasks: overdue documentation, break-glass reviews, and what a closed visit ends.</summary>
public sealed partial class TaskProjection
{
    public Task Project(EmergencyAccessGranted granted, IEvent e, IDocumentOperations ops) =>
        Open(ops, e, TaskKinds.ReviewEmergencyAccess, granted.GrantId, t =>
        {
            t.Title = $"Review a break-glass access to a chart ({ApiText.Of(granted.Reason)}): {granted.Note}";
            t.Role = Roles.Auditor;
            t.Priority = "urgent";
            t.ManualCompletion = true;
        });

    public Task Project(EncounterDocumentationOverdue overdue, IEvent e, IDocumentOperations ops) =>
        Open(ops, e, TaskKinds.CompleteDocumentation, overdue.EncounterId, t =>
        {
            t.Title = $"Complete the documentation: the consult has run over {overdue.LimitMinutes} minutes";
            t.Role = Roles.Clinician;
            t.AssigneeUserId = overdue.ClinicianId;
            t.EncounterId = overdue.EncounterId;
        });

    public async Task Project(EncounterClosed closed, IEvent e, IDocumentOperations ops)
    {
        await Close(ops, e, TaskKinds.CompleteDocumentation, closed.EncounterId, TaskStatuses.Completed);
        // The clinician closed the visit with its released results on the chart: that is their review. A result released
        // after the close (results to follow) opens its review task afterwards, and that one stays open.
        var orders = await Tasks(ops, e).QueryAsync(new Lab.OrdersOfEncounter { EncounterId = closed.EncounterId });
        foreach (var item in orders.SelectMany(o => o.Items))
            await Close(ops, e, TaskKinds.ReviewResult, item.ItemId, TaskStatuses.Completed);
    }

    public Task Project(EncounterCancelled cancelled, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, TaskKinds.CompleteDocumentation, cancelled.EncounterId, TaskStatuses.Cancelled);

    public Task Project(EncounterMarkedEnteredInError inError, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, TaskKinds.CompleteDocumentation, inError.EncounterId, TaskStatuses.Cancelled);
}
