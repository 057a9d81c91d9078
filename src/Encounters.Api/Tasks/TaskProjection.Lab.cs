using Encounters.Lab;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>Lab work: collect, receive, enter, verify, review and acknowledge, opened and closed by the lab's events.</summary>
public sealed partial class TaskProjection
{
    public async Task Project(LabOrderPlaced placed, IEvent e, IDocumentOperations ops)
    {
        foreach (var item in placed.Items)
            await Open(ops, e, TaskKinds.CollectSample, item.ItemId, t =>
            {
                t.Title = $"Collect {item.Name} ({item.SpecimenType}, {item.Container})";
                t.Role = Roles.Nurse;
                t.Priority = ApiText.Of(placed.Priority);
                (t.EncounterId, t.OrderId, t.ItemId) = (placed.EncounterId, placed.OrderId, item.ItemId);
            });
    }

    public Task Project(LabOrderItemCancelled cancelled, IEvent e, IDocumentOperations ops) => CancelItemTasks(ops, e, [cancelled.ItemId]);

    public Task Project(LabOrderCancelled cancelled, IEvent e, IDocumentOperations ops) => CancelItemTasks(ops, e, cancelled.ItemIds);

    public async Task Project(LabOrderItemsCollected collected, IEvent e, IDocumentOperations ops)
    {
        var first = await Find(ops, e, TaskKinds.CollectSample, collected.ItemIds[0]);
        foreach (var item in collected.ItemIds)
        {
            await Close(ops, e, TaskKinds.CollectSample, item, TaskStatuses.Completed);
            await Close(ops, e, TaskKinds.RecollectSample, item, TaskStatuses.Completed);
        }
        await Open(ops, e, TaskKinds.ReceiveSample, collected.SampleId, t =>
        {
            t.Title = $"Receive sample {collected.AccessionNumber}";
            t.Role = Roles.LabTechnician;
            t.Priority = first?.Priority ?? "routine";
            (t.EncounterId, t.OrderId, t.SampleId) = (collected.EncounterId, collected.OrderId, collected.SampleId);
        });
    }

    public Task Project(SpecimenReceived received, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, TaskKinds.ReceiveSample, received.SampleId, TaskStatuses.Completed);

    public Task Project(SpecimenRejected rejected, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, TaskKinds.ReceiveSample, rejected.SampleId, TaskStatuses.Cancelled);

    public async Task Project(LabOrderItemsAwaitingRecollection awaiting, IEvent e, IDocumentOperations ops)
    {
        foreach (var item in awaiting.ItemIds)
        {
            var original = await Find(ops, e, TaskKinds.CollectSample, item);
            await Open(ops, e, TaskKinds.RecollectSample, item, t =>
            {
                t.Title = $"Recollect: the sample was rejected ({awaiting.Reason})";
                t.Role = Roles.Nurse;
                t.Priority = original?.Priority ?? "routine";
                (t.EncounterId, t.OrderId, t.ItemId, t.SampleId) = (awaiting.EncounterId, awaiting.OrderId, item, awaiting.SampleId);
            });
        }
    }

    public async Task Project(LabOrderItemsReceived received, IEvent e, IDocumentOperations ops)
    {
        foreach (var item in received.ItemIds)
        {
            var collect = await Find(ops, e, TaskKinds.CollectSample, item);
            await Open(ops, e, TaskKinds.EnterResult, item, t =>
            {
                t.Title = $"Enter result: {collect?.Title.Replace("Collect ", "") ?? "lab test"}";
                t.Role = Roles.LabTechnician;
                t.Priority = collect?.Priority ?? "routine";
                (t.EncounterId, t.OrderId, t.ItemId, t.SampleId) = (received.EncounterId, received.OrderId, item, received.SampleId);
            });
        }
    }

    public async Task Project(ResultEntered entered, IEvent e, IDocumentOperations ops)
    {
        await Close(ops, e, TaskKinds.EnterResult, entered.ResultId, TaskStatuses.Completed);
        await OpenVerification(ops, e, entered.ResultId, entered.EncounterId, entered.OrderId, entered.EnteredBy,
            $"Verify {entered.TestName} (version {entered.ReportVersion})", ApiText.Of(entered.Priority));
    }

    public Task Project(ResultCorrected corrected, IEvent e, IDocumentOperations ops) =>
        OpenVerification(ops, e, corrected.ResultId, corrected.EncounterId, corrected.OrderId, corrected.EnteredBy,
            $"Verify the correction (version {corrected.ReportVersion}): {corrected.Reason}", "urgent");

    public Task Project(ResultVerified verified, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, TaskKinds.VerifyResult, verified.ResultId, TaskStatuses.Completed);

    public async Task Project(ResultReleased released, IEvent e, IDocumentOperations ops)
    {
        await Open(ops, e, TaskKinds.ReviewResult, released.ResultId, t =>
        {
            t.Title = released.Corrected ? "Review the corrected lab result" : "Review the lab result";
            t.Role = Roles.Clinician;
            t.AssigneeUserId = released.OrderedBy;
            t.ManualCompletion = true;
            (t.EncounterId, t.OrderId, t.ItemId) = (released.EncounterId, released.OrderId, released.ResultId);
        });
        if (released.Critical)
            await OpenCriticalAcknowledgement(ops, e, released.ResultId, "Acknowledge a CRITICAL lab result", released.OrderedBy,
                released.ReleasedAt, t => (t.EncounterId, t.OrderId, t.ItemId) = (released.EncounterId, released.OrderId, released.ResultId));
    }

    public async Task Project(CriticalResultAcknowledged acknowledged, IEvent e, IDocumentOperations ops)
    {
        await Close(ops, e, TaskKinds.AcknowledgeCritical, acknowledged.ResultId, TaskStatuses.Completed);
        await Close(ops, e, TaskKinds.ReviewResult, acknowledged.ResultId, TaskStatuses.Completed);
    }

    private static Task OpenVerification(IDocumentOperations ops, IEvent e, Guid resultId, Guid encounterId, Guid orderId, string enteredBy,
        string title, string priority) =>
        Open(ops, e, TaskKinds.VerifyResult, resultId, t =>
        {
            t.Title = title;
            t.Role = Roles.LabSupervisor;
            t.ExcludedUserId = enteredBy;
            t.Priority = priority;
            (t.EncounterId, t.OrderId, t.ItemId) = (encounterId, orderId, resultId);
        });

    private static async Task CancelItemTasks(IDocumentOperations ops, IEvent e, Guid[] itemIds)
    {
        foreach (var item in itemIds)
            foreach (var kind in new[] { TaskKinds.CollectSample, TaskKinds.RecollectSample, TaskKinds.EnterResult })
                await Close(ops, e, kind, item, TaskStatuses.Cancelled);
    }
}
