using Encounters.Audit;
using JasperFx.Events;

namespace Encounters.Encounters;

/// <summary>
/// The encounter as a clinician reads it, aggregated live from its events, so it can also be read as it
/// stood at any earlier version or time.
/// </summary>
public sealed partial class EncounterView : IVersioned, Scope.IPatientChart
{
    public static string Resource => "Encounter";

    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public string FacilityId { get; set; } = "";
    public EncounterStatus Status { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset? ScheduledAt { get; set; }
    public DateTimeOffset PlannedAt { get; set; }
    public DateTimeOffset? ArrivedAt { get; set; }
    public Actor? AttendingClinician { get; set; }
    public DateTimeOffset? ConsultStartedAt { get; set; }
    [VisibleTo(Actions.ReadTriage)] public List<VitalsEntry> Vitals { get; set; } = [];
    [VisibleTo(Actions.ReadClinical)] public Dictionary<string, SectionSummary> Documentation { get; set; } = [];
    [VisibleTo(Actions.ReadClinical)] public Diagnosis[] Diagnoses { get; set; } = [];
    [VisibleTo(Actions.ReadClinical)] public DateOnly? FollowUpDate { get; set; }
    public Disposition? Disposition { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public Actor? ClosedBy { get; set; }
    public string? CancellationReason { get; set; }
    public string? EnteredInErrorReason { get; set; }

    /// <summary>Lab reports released to this encounter, latest version of each.</summary>
    [VisibleTo(Actions.ReadClinical)] public List<DiagnosticReportReceived> Results { get; set; } = [];

    /// <summary>Imaging reports released to this encounter, latest version of each.</summary>
    [VisibleTo(Actions.ReadClinical)] public List<ImagingReportReceived> ImagingReports { get; set; } = [];

    /// <summary>The encounter's lab orders (read alongside, not part of the encounter's stream).</summary>
    [VisibleTo(Actions.ReadOrder)] public IReadOnlyList<OrderSummary>? Orders { get; set; }

    public long Version { get; set; }

    /// <summary>
    /// Every version of every section, oldest first, for the versions endpoint (folded from the events;
    /// not part of the stored view or its JSON, which show the latest of each).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore] public Dictionary<NoteSection, List<NoteVersion>> Notes { get; set; } = [];

    /// <summary>The day the visit belongs to (UTC): the day of arrival, else of the appointment, else of planning.</summary>
    public DateOnly Day { get; set; }

    // One small method per fact the view shows more of than the status (the status comes from the transitions table,
    // in EncounterViewProjection, so a command that only moves the encounter needs nothing here).

    public static EncounterView Planned(EncounterPlanned e) => new()
    {
        Id = e.EncounterId, PatientId = e.PatientId, FacilityId = e.FacilityId, Reason = e.Reason,
        Status = EncounterStatus.Planned, ScheduledAt = e.ScheduledAt, PlannedAt = e.PlannedAt,
        Day = DateOnly.FromDateTime((e.ScheduledAt ?? e.PlannedAt).UtcDateTime),
    };

    public void Arrived(PatientCheckedIn e)
    {
        ArrivedAt = e.ArrivedAt;
        Day = DateOnly.FromDateTime(e.ArrivedAt.UtcDateTime);
    }

    public void Measured(IEvent<VitalSignsRecorded> e) =>
        Vitals.Add(new VitalsEntry(e.Data.Vitals, e.Data.Bmi, e.Data.AbnormalFlags, e.Data.RecordedAt, Actor.Of(e)));

    public void Attended(ConsultStarted e)
    {
        AttendingClinician = new Actor(e.ClinicianId, e.ClinicianName, Roles.Clinician);
        ConsultStartedAt = e.StartedAt;
    }

    public void Noted(IEvent<ClinicalNoteRecorded> e) =>
        AddNote(e.Data.Section, new NoteVersion(e.Data.Version, e.Data.Content, e.Data.Reason, e.Data.AfterClose, e.Data.RecordedAt, Actor.Of(e)));

    public void Noted(IEvent<ClinicalNoteAmended> e) =>
        AddNote(e.Data.Section, new NoteVersion(e.Data.Version, e.Data.Content, e.Data.Reason, e.Data.AfterClose, e.Data.AmendedAt, Actor.Of(e)));

    public void Closed(IEvent<EncounterClosed> e)
    {
        Disposition = e.Data.Disposition;
        ClosedAt = e.Data.ClosedAt;
        ClosedBy = Actor.Of(e);
    }

    public void Cancelled(EncounterCancelled e) => CancellationReason = e.Reason;
    public void Cancelled(PatientDidNotAttend _) => CancellationReason = "no-show";
    public void MarkedInError(EncounterMarkedEnteredInError e) => EnteredInErrorReason = e.Reason;

    public void Reported(DiagnosticReportReceived e)
    {
        Results.RemoveAll(r => r.ResultId == e.ResultId);
        Results.Add(e);
    }

    public void Reported(ImagingReportReceived e) => ImagingReports = [.. ImagingReports.Where(r => r.RequestId != e.RequestId), e];

    private void AddNote(NoteSection section, NoteVersion version)
    {
        // Counted from the stored summary, so the inline view (which does not store every version) stays right.
        var name = DocumentSectionEndpoint.Name(section);
        var previous = Documentation.GetValueOrDefault(name);
        Documentation[name] = new SectionSummary(version, (previous?.VersionCount ?? 0) + 1,
            (previous?.PostCloseAmendments ?? 0) + (version.AfterClose ? 1 : 0));
        if (!Notes.TryGetValue(section, out var versions)) Notes[section] = versions = [];
        versions.Add(version);
        if (section == NoteSection.Assessment) Diagnoses = version.Content.Diagnoses ?? [];
        if (section == NoteSection.Plan) FollowUpDate = version.Content.FollowUpDate;
    }
}

/// <summary>Who did something, from the event's metadata.</summary>
public record Actor(string UserId, string Name, string Role)
{
    public static Actor Of(IEvent e) => new(Header(e, EventHeaders.UserId), Header(e, EventHeaders.UserName), Header(e, EventHeaders.Role));

    private static string Header(IEvent e, string name) => e.Headers?.GetValueOrDefault(name)?.ToString() ?? "";
}

public record VitalsEntry(VitalSigns Vitals, decimal? Bmi, string[] AbnormalFlags, DateTimeOffset RecordedAt, Actor RecordedBy);

public record NoteVersion(int Version, NoteContent Content, string? Reason, bool AfterClose, DateTimeOffset At, Actor Author);

public record SectionSummary(NoteVersion Latest, int VersionCount, int PostCloseAmendments);

public record OrderSummary(Guid Id, string Priority, DateTimeOffset OrderedAt, IReadOnlyList<OrderItemSummary> Items);

public record OrderItemSummary(Guid ItemId, string ServiceCode, string Name, ItemState State,
    [property: ApiValues(typeof(DiagnosticReportStatus))] string ResultStatus, bool Critical);
