using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>The clinician's and the auditor's tasks: overdue documentation, break-glass reviews, and what a closed visit ends.</summary>
internal static class ClinicTasks
{
    public static async Task Apply(TaskProjection.TaskBatch tasks, IEvent e, string facility)
    {
        switch (e.Data)
        {
            case EmergencyAccessGranted granted:
                tasks.Open(TaskKinds.ReviewEmergencyAccess, granted.GrantId, e, facility, t =>
                {
                    t.Title = $"Review a break-glass access to a chart ({EncounterTransitions.Json(granted.Reason)}): {granted.Note}";
                    t.Role = Roles.Auditor;
                    t.Priority = "urgent";
                    t.ManualCompletion = true;
                });
                break;

            case EncounterDocumentationOverdue overdue:
                tasks.Open(TaskKinds.CompleteDocumentation, overdue.EncounterId, e, facility, t =>
                {
                    t.Title = $"Complete the documentation: the consult has run over {overdue.LimitMinutes} minutes";
                    t.Role = Roles.Clinician;
                    t.AssigneeUserId = overdue.ClinicianId;
                    t.EncounterId = overdue.EncounterId;
                });
                break;

            case EncounterClosed closed:
                await tasks.Close(TaskKinds.CompleteDocumentation, closed.EncounterId, TaskStatuses.Completed, e);
                // The clinician closed the visit with its released results on the chart: that is their review. A result
                // released after the close (results to follow) opens its review task afterwards, which stays open.
                foreach (var review in await tasks.OpenOf(TaskKinds.ReviewResult, closed.EncounterId))
                    await tasks.Close(review, TaskStatuses.Completed, e);
                break;

            case EncounterCancelled cancelled:
                await tasks.Close(TaskKinds.CompleteDocumentation, cancelled.EncounterId, TaskStatuses.Cancelled, e);
                break;

            case EncounterMarkedEnteredInError inError:
                await tasks.Close(TaskKinds.CompleteDocumentation, inError.EncounterId, TaskStatuses.Cancelled, e);
                break;

        }
    }

}
