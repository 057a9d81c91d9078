using Encounters.Encounters;
using Encounters.Imaging;
using JasperFx.Events;

namespace Encounters.Tasks;

/// <summary>
/// Imaging's tasks: a request opens "perform" for radiographers; a performed study opens "report" for radiologists; a
/// report opens "verify" for a second radiologist (never its author); a critical release opens the ordering clinician's
/// acknowledgement, due like a lab critical.
/// </summary>
internal static class ImagingTasks
{
    public const string Perform = "perform-imaging", Report = "report-imaging", Verify = "verify-imaging-report";

    public static async Task Apply(TaskProjection.TaskBatch tasks, IEvent e, string facility)
    {
        switch (e.Data)
        {
            case ImagingRequested requested:
                tasks.Open(Perform, requested.RequestId, e, facility, t =>
                {
                    t.Title = $"Perform {requested.ProcedureName}: {requested.ClinicalIndication}";
                    t.Role = Roles.Radiographer;
                    t.Priority = ApiText.Of(requested.Priority);
                    (t.EncounterId, t.OrderId) = (requested.EncounterId, requested.RequestId);
                });
                break;

            case ImagingStudyPerformed performed:
                var perform = await tasks.Find(Perform, performed.RequestId);
                await tasks.Close(Perform, performed.RequestId, TaskStatuses.Completed, e);
                tasks.Open(Report, performed.RequestId, e, facility, t =>
                {
                    t.Title = $"Report {perform?.Title.Replace("Perform ", "") ?? "the imaging study"}";
                    t.Role = Roles.Radiologist;
                    t.Priority = perform?.Priority ?? "routine";
                    (t.EncounterId, t.OrderId) = (performed.EncounterId, performed.RequestId);
                });
                break;

            case ImagingStudyNotPerformed notPerformed:
                await tasks.Close(Perform, notPerformed.RequestId, TaskStatuses.Cancelled, e);
                break;

            case ImagingReportDrafted drafted:
                var report = await tasks.Find(Report, drafted.RequestId);
                await tasks.Close(Report, drafted.RequestId, TaskStatuses.Completed, e);
                tasks.Open(Verify, drafted.RequestId, e, facility, t =>
                {
                    t.Title = $"Verify the imaging {(drafted.Addendum ? "addendum" : "report")} (version {drafted.ReportVersion})";
                    t.Role = Roles.Radiologist;
                    t.ExcludedUserId = drafted.AuthoredBy;
                    t.Priority = drafted.Critical ? "urgent" : report?.Priority ?? "routine";
                    (t.EncounterId, t.OrderId) = (drafted.EncounterId, drafted.RequestId);
                });
                break;

            case ImagingReportVerified verified:
                await tasks.Close(Verify, verified.RequestId, TaskStatuses.Completed, e);
                break;

            case ImagingReportReleased released:
                // Without a second reading the release closes the verification nobody needed.
                await tasks.Close(Verify, released.RequestId, TaskStatuses.Completed, e);
                if (released.Critical)
                    TaskProjection.OpenCriticalAcknowledgement(tasks, e, facility, released.RequestId, "Acknowledge a CRITICAL imaging finding",
                        released.OrderedBy, released.ReleasedAt, t => (t.EncounterId, t.OrderId) = (released.EncounterId, released.RequestId));
                break;

            case ImagingCriticalFindingAcknowledged acknowledged:
                await tasks.Close(TaskKinds.AcknowledgeCritical, acknowledged.RequestId, TaskStatuses.Completed, e);
                break;
        }
    }
}
