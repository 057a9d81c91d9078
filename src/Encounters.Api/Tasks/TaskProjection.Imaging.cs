using Encounters.Imaging;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>
/// Imaging's tasks: a request opens "perform" for radiographers; a performed study opens "report" for radiologists; a
/// report opens "verify" for a second radiologist (never its author); a critical release opens the ordering clinician's
/// acknowledgement, due like a lab critical.
/// </summary>
public sealed partial class TaskProjection
{
    public const string PerformImaging = "perform-imaging", ReportImaging = "report-imaging", VerifyImagingReport = "verify-imaging-report";

    public Task Project(ImagingRequested requested, IEvent e, IDocumentOperations ops) =>
        Open(ops, e, PerformImaging, requested.RequestId, t =>
        {
            t.Title = $"Perform {requested.ProcedureName}: {requested.ClinicalIndication}";
            t.Role = Roles.Radiographer;
            t.Priority = ApiText.Of(requested.Priority);
            (t.EncounterId, t.OrderId) = (requested.EncounterId, requested.RequestId);
        });

    public async Task Project(ImagingStudyPerformed performed, IEvent e, IDocumentOperations ops)
    {
        var perform = await Find(ops, e, PerformImaging, performed.RequestId);
        await Close(ops, e, PerformImaging, performed.RequestId, TaskStatuses.Completed);
        await Open(ops, e, ReportImaging, performed.RequestId, t =>
        {
            t.Title = $"Report {perform?.Title.Replace("Perform ", "") ?? "the imaging study"}";
            t.Role = Roles.Radiologist;
            t.Priority = perform?.Priority ?? "routine";
            (t.EncounterId, t.OrderId) = (performed.EncounterId, performed.RequestId);
        });
    }

    public Task Project(ImagingStudyNotPerformed notPerformed, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, PerformImaging, notPerformed.RequestId, TaskStatuses.Cancelled);

    public async Task Project(ImagingReportDrafted drafted, IEvent e, IDocumentOperations ops)
    {
        var report = await Find(ops, e, ReportImaging, drafted.RequestId);
        await Close(ops, e, ReportImaging, drafted.RequestId, TaskStatuses.Completed);
        await Open(ops, e, VerifyImagingReport, drafted.RequestId, t =>
        {
            t.Title = $"Verify the imaging {(drafted.Addendum ? "addendum" : "report")} (version {drafted.ReportVersion})";
            t.Role = Roles.Radiologist;
            t.ExcludedUserId = drafted.AuthoredBy;
            t.Priority = drafted.Critical ? "urgent" : report?.Priority ?? "routine";
            (t.EncounterId, t.OrderId) = (drafted.EncounterId, drafted.RequestId);
        });
    }

    public Task Project(ImagingReportVerified verified, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, VerifyImagingReport, verified.RequestId, TaskStatuses.Completed);

    public async Task Project(ImagingReportReleased released, IEvent e, IDocumentOperations ops)
    {
        // Without a second reading the release closes the verification nobody needed.
        await Close(ops, e, VerifyImagingReport, released.RequestId, TaskStatuses.Completed);
        if (released.Critical)
            await OpenCriticalAcknowledgement(ops, e, released.RequestId, "Acknowledge a CRITICAL imaging finding", released.OrderedBy,
                released.ReleasedAt, t => (t.EncounterId, t.OrderId) = (released.EncounterId, released.RequestId));
    }

    public Task Project(ImagingCriticalFindingAcknowledged acknowledged, IEvent e, IDocumentOperations ops) =>
        Close(ops, e, TaskKinds.AcknowledgeCritical, acknowledged.RequestId, TaskStatuses.Completed);
}
