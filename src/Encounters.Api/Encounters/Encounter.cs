namespace Encounters.Encounters;

// Events of the encounter stream: facts in FHIR Encounter vocabulary, never changed once written.
public record EncounterPlanned(Guid EncounterId, Guid PatientId, string FacilityId, string Reason, DateTimeOffset? ScheduledAt,
    DateTimeOffset PlannedAt) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.planned", $"Visit planned: {Reason}");
}

public record PatientCheckedIn(Guid EncounterId, DateTimeOffset ArrivedAt) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.checked-in", "Patient checked in");
}

/// <summary>A set of vital signs. The first set triages an arrived patient.</summary>
public record VitalSignsRecorded(Guid EncounterId, VitalSigns Vitals, decimal? Bmi, string[] AbnormalFlags, DateTimeOffset RecordedAt) : IVisitFact
{
    public TimelineLine Describe() => new("vitals.recorded", "Vital signs recorded" + (AbnormalFlags.Length > 0 ? $" (abnormal: {string.Join(", ", AbnormalFlags)})" : ""));
}

public record ConsultStarted(Guid EncounterId, string ClinicianId, string ClinicianName, DateTimeOffset StartedAt) : IVisitFact
{
    public TimelineLine Describe() => new("consult.started", $"Consult started by {ClinicianName}");
}

public record PatientSteppedOut(Guid EncounterId, string? Reason, DateTimeOffset At) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.stepped-out", "Patient stepped out" + (Reason is null ? "" : $": {Reason}"));
}

public record PatientReturned(Guid EncounterId, DateTimeOffset At) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.returned", "Patient returned");
}

/// <summary>A section of the SOAP note written for the first time (version 1).</summary>
/// <summary>A section's first write; one first written after close carries its reason and says so.</summary>
public record ClinicalNoteRecorded(Guid EncounterId, NoteSection Section, int Version, NoteContent Content, DateTimeOffset RecordedAt,
    string? Reason = null, bool AfterClose = false) : IWrittenAfterClose, IVisitFact
{
    public TimelineLine Describe() => new("note.recorded", $"{Section.Title()} documented{(AfterClose ? $" after close: {Reason}" : "")}");
}

/// <summary>A new version of a section that supersedes the previous one; the earlier versions stay readable.</summary>
public record ClinicalNoteAmended(Guid EncounterId, NoteSection Section, int Version, NoteContent Content, string Reason,
    bool AfterClose, DateTimeOffset AmendedAt) : IWrittenAfterClose, IVisitFact
{
    public TimelineLine Describe() => new("note.amended", $"{Section.Title()} amended to version {Version}{(AfterClose ? " after close" : "")}: {Reason}");
}

/// <summary>A write to a closed encounter: flagged in the view, the timeline and the audit trail.</summary>
public interface IWrittenAfterClose
{
    bool AfterClose { get; }
}

public record EncounterClosed(Guid EncounterId, Disposition Disposition, string ClosedBy, DateTimeOffset ClosedAt) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.closed", $"Encounter closed ({ApiText.Of(Disposition)})");
}

public record EncounterCancelled(Guid EncounterId, string Reason, DateTimeOffset CancelledAt) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.cancelled", $"Encounter cancelled: {Reason}");
}

/// <summary>The patient never came: the planned encounter ends as cancelled with reason no-show.</summary>
public record PatientDidNotAttend(Guid EncounterId, DateTimeOffset RecordedAt) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.no-show", "Patient did not attend");
}

/// <summary>The patient left after arriving, before a clinician saw them: the encounter ends as cancelled.</summary>
public record PatientLeftWithoutBeingSeen(Guid EncounterId, string? Note, DateTimeOffset LeftAt) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.left-without-being-seen", "Patient left without being seen" + (Note is null ? "" : $": {Note}"));
}

public record EncounterMarkedEnteredInError(Guid EncounterId, string Reason, DateTimeOffset MarkedAt) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.entered-in-error", $"Marked entered in error: {Reason}");
}

/// <summary>The consult has been open longer than the clinic allows without being closed.</summary>
public record EncounterDocumentationOverdue(Guid EncounterId, string ClinicianId, int LimitMinutes, DateTimeOffset At) : IVisitFact
{
    public TimelineLine Describe() => new("encounter.documentation-overdue", $"Consult open longer than {LimitMinutes} minutes");
}

/// <summary>A prescription of this visit was written as a draft: the close gate may hold the visit until it is settled.</summary>
public record PrescriptionDraftOpened(Guid EncounterId, Guid PrescriptionId);

/// <summary>A draft prescription of this visit was signed, cancelled or marked entered-in-error.</summary>
public record PrescriptionDraftSettled(Guid EncounterId, Guid PrescriptionId);

/// <summary>The encounter's write model: only what its decisions need.</summary>
public sealed partial record Encounter(Guid Id, string FacilityId, Guid PatientId, EncounterStatus Status) : Scope.IFacilityScoped
{
    public static string Resource => "Encounter";

    public long Version { get; set; }
    public bool HasVitals { get; init; }
    public IReadOnlyDictionary<NoteSection, int> NoteVersions { get; init; } = new Dictionary<NoteSection, int>();
    public string? ClosedBy { get; init; }
    public Guid[] DraftPrescriptions { get; init; } = [];

    /// <summary>Imaging requests whose released report has a critical finding not yet acknowledged (the close gate holds).</summary>
    public Guid[] UnacknowledgedImagingFindings { get; init; } = [];

    public static Encounter Create(EncounterPlanned e) => new(e.EncounterId, e.FacilityId, e.PatientId, EncounterStatus.Planned);

    public Encounter Apply(PatientCheckedIn e) => Moved(e);
    public Encounter Apply(VitalSignsRecorded e) => Moved(e) with { HasVitals = true };
    public Encounter Apply(ConsultStarted e) => Moved(e);
    public Encounter Apply(PatientSteppedOut e) => Moved(e);
    public Encounter Apply(PatientReturned e) => Moved(e);
    public Encounter Apply(ClinicalNoteRecorded e) => WithNoteVersion(e.Section, e.Version);
    public Encounter Apply(ClinicalNoteAmended e) => WithNoteVersion(e.Section, e.Version);
    public Encounter Apply(EncounterClosed e) => Moved(e) with { ClosedBy = e.ClosedBy };
    public Encounter Apply(EncounterCancelled e) => Moved(e);
    public Encounter Apply(PatientDidNotAttend e) => Moved(e);
    public Encounter Apply(PatientLeftWithoutBeingSeen e) => Moved(e);
    public Encounter Apply(EncounterMarkedEnteredInError e) => Moved(e);
    public Encounter Apply(PrescriptionDraftOpened e) => this with { DraftPrescriptions = [.. DraftPrescriptions, e.PrescriptionId] };
    // The latest release of a request decides: a critical one waits for acknowledgement, a non-critical addendum clears it.
    public Encounter Apply(ImagingReportReceived e) => this with
    {
        UnacknowledgedImagingFindings = e.Critical ? [.. WithoutFinding(e.RequestId), e.RequestId] : WithoutFinding(e.RequestId),
    };

    public Encounter Apply(ImagingCriticalFindingCleared e) => this with { UnacknowledgedImagingFindings = WithoutFinding(e.RequestId) };

    private Guid[] WithoutFinding(Guid request) => UnacknowledgedImagingFindings.Where(id => id != request).ToArray();

    public Encounter Apply(PrescriptionDraftSettled e) => this with { DraftPrescriptions = DraftPrescriptions.Where(id => id != e.PrescriptionId).ToArray() };

    private Encounter Moved(object fact) => this with { Status = EncounterTransitions.After(Status, fact) };

    public int NoteVersion(NoteSection section) => NoteVersions.GetValueOrDefault(section);

    private Encounter WithNoteVersion(NoteSection section, int version) =>
        this with { NoteVersions = new Dictionary<NoteSection, int>(NoteVersions) { [section] = version } };
}

/// <summary>What a command answers: the encounter as its command left it.</summary>
public record EncounterResponse(Guid Id, Guid PatientId, EncounterStatus Status, long Version) : Scope.IVersioned
{
    public static EncounterResponse From(Encounter e, long version) => new(e.Id, e.PatientId, e.Status, version);
}

public static class EncounterDecisions
{
    /// <summary>The decided events, and the encounter as they leave it, as the command's answer.</summary>
    public static (EncounterResponse, Wolverine.Marten.Events) Decided(this Encounter encounter, params object[] events)
    {
        var next = events.Aggregate(encounter, (state, e) => state.After(e));
        return (EncounterResponse.From(next, encounter.Version + events.Length), [.. events]);
    }
}

public static class EncounterSchema
{
    /// <summary>The facts of the encounter stream (the view projects exactly these).</summary>
    public static readonly Type[] EventTypes =
    [
        typeof(EncounterPlanned), typeof(PatientCheckedIn), typeof(VitalSignsRecorded), typeof(ConsultStarted),
        typeof(PatientSteppedOut), typeof(PatientReturned), typeof(ClinicalNoteRecorded), typeof(ClinicalNoteAmended),
        typeof(EncounterClosed), typeof(EncounterCancelled), typeof(PatientDidNotAttend), typeof(EncounterMarkedEnteredInError),
        typeof(DiagnosticReportReceived), typeof(EncounterDocumentationOverdue), typeof(PrescriptionDraftOpened), typeof(PrescriptionDraftSettled),
        typeof(ImagingReportReceived), typeof(ImagingCriticalFindingCleared), typeof(PatientLeftWithoutBeingSeen),
    ];

    public static void Configure(StoreOptions opts)
    {
        // The write model is kept as a snapshot in the command's own transaction, and cached per node:
        // a command reads one document (or nothing) instead of re-folding the whole stream.
        opts.Projections.Snapshot<Encounter>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
        opts.Events.CacheAggregatesForWriting<Encounter>(10_000);
        opts.Events.AddEventTypes(EventTypes);
    }
}
