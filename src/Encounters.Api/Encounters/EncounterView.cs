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

    public static EncounterView Create(EncounterPlanned e) => new()
    {
        Id = e.EncounterId, PatientId = e.PatientId, FacilityId = e.FacilityId, Reason = e.Reason,
        Status = EncounterStatus.Planned, ScheduledAt = e.ScheduledAt, PlannedAt = e.PlannedAt,
    };

    public void Apply(PatientCheckedIn e)
    {
        Status = EncounterTransitions.After(Status, e);
        ArrivedAt = e.ArrivedAt;
    }

    public void Apply(IEvent<VitalSignsRecorded> e)
    {
        Vitals.Add(new VitalsEntry(e.Data.Vitals, e.Data.Bmi, e.Data.AbnormalFlags, e.Data.RecordedAt, Actor.Of(e)));
        Status = EncounterTransitions.After(Status, e.Data);
    }

    public void Apply(ConsultStarted e)
    {
        Status = EncounterTransitions.After(Status, e);
        AttendingClinician = new Actor(e.ClinicianId, e.ClinicianName, Roles.Clinician);
        ConsultStartedAt = e.StartedAt;
    }

    public void Apply(PatientSteppedOut e) => Status = EncounterTransitions.After(Status, e);
    public void Apply(PatientReturned e) => Status = EncounterTransitions.After(Status, e);

    public void Apply(IEvent<ClinicalNoteRecorded> e) =>
        AddNote(e.Data.Section, new NoteVersion(e.Data.Version, e.Data.Content, e.Data.Reason, e.Data.AfterClose, e.Data.RecordedAt, Actor.Of(e)));

    public void Apply(IEvent<ClinicalNoteAmended> e) =>
        AddNote(e.Data.Section, new NoteVersion(e.Data.Version, e.Data.Content, e.Data.Reason, e.Data.AfterClose, e.Data.AmendedAt, Actor.Of(e)));

    public void Apply(IEvent<EncounterClosed> e)
    {
        Status = EncounterTransitions.After(Status, e.Data);
        Disposition = e.Data.Disposition;
        ClosedAt = e.Data.ClosedAt;
        ClosedBy = Actor.Of(e);
    }

    public void Apply(EncounterCancelled e)
    {
        Status = EncounterTransitions.After(Status, e);
        CancellationReason = e.Reason;
    }

    public void Apply(PatientDidNotAttend e)
    {
        Status = EncounterTransitions.After(Status, e);
        CancellationReason = "no-show";
    }

    public void Apply(EncounterMarkedEnteredInError e)
    {
        Status = EncounterTransitions.After(Status, e);
        EnteredInErrorReason = e.Reason;
    }

    public void Apply(DiagnosticReportReceived e)
    {
        Results.RemoveAll(r => r.ResultId == e.ResultId);
        Results.Add(e);
    }

    public void Apply(ImagingReportReceived e) => ImagingReports = [.. ImagingReports.Where(r => r.RequestId != e.RequestId), e];

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

public record OrderItemSummary(Guid ItemId, string ServiceCode, string Name, string State, string ResultStatus, bool Critical);

public static class EncounterViewSchema
{
    /// <summary>The current view is kept inline (one document); an earlier one is rebuilt from the events.</summary>
    public static async Task<EncounterView?> LoadAsync(Guid id, long? version, DateTimeOffset? asOf, IQuerySession session,
        CancellationToken ct) =>
        version is null && asOf is null
            ? await session.LoadAsync<EncounterView>(id, ct)
            : await session.Events.AggregateStreamAsync<EncounterView>(id, version ?? 0, asOf, token: ct);

    public static void Configure(StoreOptions opts) =>
        opts.Projections.Snapshot<EncounterView>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
}
