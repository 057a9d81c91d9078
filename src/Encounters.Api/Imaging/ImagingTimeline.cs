using Encounters.Encounters;

namespace Encounters.Imaging;

/// <summary>How imaging facts read on the visit's timeline.</summary>
public static class ImagingTimeline
{
    public static (Guid EncounterId, string Kind, string Summary)? Describe(object data) => data switch
    {
        ImagingRequested e => (e.EncounterId, "imaging.ordered",
            $"{EncounterTransitions.Json(e.Priority)} imaging ordered: {e.ProcedureName} ({e.ClinicalIndication})"),
        ImagingStudyPerformed e => (e.EncounterId, "imaging.performed", $"Imaging study performed: {e.Technique}"),
        ImagingStudyNotPerformed e => (e.EncounterId, "imaging.not-performed", $"Imaging study not performed: {e.Reason}"),
        ImagingReportDrafted e => (e.EncounterId, "imaging.reported",
            $"{(e.Addendum ? "Imaging addendum" : "Imaging report")} written (version {e.ReportVersion})"),
        ImagingReportVerified e => (e.EncounterId, "imaging.verified", $"Imaging report verified (version {e.ReportVersion})"),
        ImagingReportReleased e => (e.EncounterId, "imaging.released",
            $"Imaging report released{(e.Addendum ? " (addendum)" : "")}{(e.Critical ? " — CRITICAL finding" : "")}"),
        ImagingCriticalFindingAcknowledged e => (e.EncounterId, "imaging.acknowledged", $"Critical imaging finding acknowledged: {e.Note}"),
        _ => null,
    };
}
