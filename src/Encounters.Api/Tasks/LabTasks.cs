using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>Lab work: collect, receive, enter, verify, review and acknowledge, opened and closed by the lab's events.</summary>
internal static class LabTasks
{
    public static async Task Apply(TaskProjection.TaskBatch tasks, IEvent e, string facility)
    {
        switch (e.Data)
        {
            case LabOrderPlaced placed:
                foreach (var item in placed.Items)
                    tasks.Open(TaskKinds.CollectSample, item.ItemId, e, facility, t =>
                    {
                        t.Title = $"Collect {item.Name} ({item.SpecimenType}, {item.Container})";
                        t.Role = Roles.Nurse;
                        t.Priority = ApiText.Of(placed.Priority);
                        (t.EncounterId, t.OrderId, t.ItemId) = (placed.EncounterId, placed.OrderId, item.ItemId);
                    });
                break;

            case LabOrderItemCancelled cancelled:
                await CancelItemTasks(tasks, [cancelled.ItemId], e);
                break;

            case LabOrderCancelled cancelled:
                await CancelItemTasks(tasks, cancelled.ItemIds, e);
                break;

            case LabOrderItemsCollected collected:
                foreach (var item in collected.ItemIds)
                {
                    await tasks.Close(TaskKinds.CollectSample, item, TaskStatuses.Completed, e);
                    await tasks.Close(TaskKinds.RecollectSample, item, TaskStatuses.Completed, e);
                }
                var first = await tasks.Find(TaskKinds.CollectSample, collected.ItemIds[0]);
                tasks.Open(TaskKinds.ReceiveSample, collected.SampleId, e, facility, t =>
                {
                    t.Title = $"Receive sample {collected.AccessionNumber}";
                    t.Role = Roles.LabTechnician;
                    t.Priority = first?.Priority ?? "routine";
                    (t.EncounterId, t.OrderId, t.SampleId) = (collected.EncounterId, collected.OrderId, collected.SampleId);
                });
                break;

            case SpecimenReceived received:
                await tasks.Close(TaskKinds.ReceiveSample, received.SampleId, TaskStatuses.Completed, e);
                break;

            case SpecimenRejected rejected:
                await tasks.Close(TaskKinds.ReceiveSample, rejected.SampleId, TaskStatuses.Cancelled, e);
                break;

            case LabOrderItemsAwaitingRecollection awaiting:
                foreach (var item in awaiting.ItemIds)
                {
                    var original = await tasks.Find(TaskKinds.CollectSample, item);
                    tasks.Open(TaskKinds.RecollectSample, item, e, facility, t =>
                    {
                        t.Title = $"Recollect: the sample was rejected ({awaiting.Reason})";
                        t.Role = Roles.Nurse;
                        t.Priority = original?.Priority ?? "routine";
                        (t.EncounterId, t.OrderId, t.ItemId, t.SampleId) = (awaiting.EncounterId, awaiting.OrderId, item, awaiting.SampleId);
                    });
                }
                break;

            case LabOrderItemsReceived received:
                foreach (var item in received.ItemIds)
                {
                    var collect = await tasks.Find(TaskKinds.CollectSample, item);
                    tasks.Open(TaskKinds.EnterResult, item, e, facility, t =>
                    {
                        t.Title = $"Enter result: {collect?.Title.Replace("Collect ", "") ?? "lab test"}";
                        t.Role = Roles.LabTechnician;
                        t.Priority = collect?.Priority ?? "routine";
                        (t.EncounterId, t.OrderId, t.ItemId, t.SampleId) = (received.EncounterId, received.OrderId, item, received.SampleId);
                    });
                }
                break;

            case ResultEntered entered:
                await tasks.Close(TaskKinds.EnterResult, entered.ResultId, TaskStatuses.Completed, e);
                OpenVerification(tasks, e, facility, entered.ResultId, entered.EncounterId, entered.OrderId, entered.EnteredBy,
                    $"Verify {entered.TestName} (version {entered.ReportVersion})", ApiText.Of(entered.Priority));
                break;

            case ResultCorrected corrected:
                OpenVerification(tasks, e, facility, corrected.ResultId, corrected.EncounterId, corrected.OrderId, corrected.EnteredBy,
                    $"Verify the correction (version {corrected.ReportVersion}): {corrected.Reason}", "urgent");
                break;

            case ResultVerified verified:
                await tasks.Close(TaskKinds.VerifyResult, verified.ResultId, TaskStatuses.Completed, e);
                break;

            case ResultReleased released:
                tasks.Open(TaskKinds.ReviewResult, released.ResultId, e, facility, t =>
                {
                    t.Title = released.Corrected ? "Review the corrected lab result" : "Review the lab result";
                    t.Role = Roles.Clinician;
                    t.AssigneeUserId = released.OrderedBy;
                    t.ManualCompletion = true;
                    (t.EncounterId, t.OrderId, t.ItemId) = (released.EncounterId, released.OrderId, released.ResultId);
                });
                if (released.Critical)
                    TaskProjection.OpenCriticalAcknowledgement(tasks, e, facility, released.ResultId, "Acknowledge a CRITICAL lab result", released.OrderedBy,
                        released.ReleasedAt, t => (t.EncounterId, t.OrderId, t.ItemId) = (released.EncounterId, released.OrderId, released.ResultId));
                break;

            case CriticalResultAcknowledged acknowledged:
                await tasks.Close(TaskKinds.AcknowledgeCritical, acknowledged.ResultId, TaskStatuses.Completed, e);
                await tasks.Close(TaskKinds.ReviewResult, acknowledged.ResultId, TaskStatuses.Completed, e);
                break;
        }
    }

    private static void OpenVerification(TaskProjection.TaskBatch tasks, IEvent e, string facility, Guid resultId, Guid encounterId, Guid orderId,
        string enteredBy, string title, string priority) =>
        tasks.Open(TaskKinds.VerifyResult, resultId, e, facility, t =>
        {
            t.Title = title;
            t.Role = Roles.LabSupervisor;
            t.ExcludedUserId = enteredBy;
            t.Priority = priority;
            (t.EncounterId, t.OrderId, t.ItemId) = (encounterId, orderId, resultId);
        });

    private static async Task CancelItemTasks(TaskProjection.TaskBatch tasks, Guid[] itemIds, IEvent e)
    {
        foreach (var item in itemIds)
            foreach (var kind in new[] { TaskKinds.CollectSample, TaskKinds.RecollectSample, TaskKinds.EnterResult })
                await tasks.Close(kind, item, TaskStatuses.Cancelled, e);
    }
}
