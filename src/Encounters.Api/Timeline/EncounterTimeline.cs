using Encounters.Audit;
using Encounters.Encounters;
using Encounters.Lab;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Projections;

namespace Encounters.Timeline;

/// <summary>One fact of a visit, from any of its streams, in the words a clinician would use.</summary>
public sealed class TimelineEntry
{
    public Guid Id { get; set; }
    public Guid EncounterId { get; set; }
    public string FacilityId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Kind { get; set; } = "";
    public string Summary { get; set; } = "";
    public Actor Actor { get; set; } = new("", "", "");
    public Guid StreamId { get; set; }
    public long StreamVersion { get; set; }
    public long Sequence { get; set; }
}

/// <summary>
/// The encounter timeline: an asynchronous projection over the encounter, order, sample and result
/// streams, one document per event, keyed by the event id so a rebuild writes the same documents.
/// It runs in the async daemon, whose shards Wolverine spreads over the running nodes.
/// </summary>
public sealed class TimelineProjection : IProjection
{
    public const string Name = "EncounterTimeline";

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var e in events)
        {
            if (Describe(e.Data) is not var (encounterId, kind, summary)) continue;
            operations.ForTenant(e.TenantId).Store(new TimelineEntry
            {
                Id = e.Id, EncounterId = encounterId, FacilityId = e.GetHeader(EventHeaders.Facility)?.ToString() ?? "",
                At = e.Timestamp, Kind = kind, Summary = summary, Actor = Actor.Of(e), StreamId = e.StreamId,
                StreamVersion = e.Version, Sequence = e.Sequence,
            });
        }

        return Task.CompletedTask;
    }

    /// <summary>The encounter an event belongs to, its kind and a one-line summary; null for events not on a timeline.</summary>
    public static (Guid EncounterId, string Kind, string Summary)? Describe(object data) => data switch
    {
        EncounterPlanned e => (e.EncounterId, "encounter.planned", $"Visit planned: {e.Reason}"),
        PatientCheckedIn e => (e.EncounterId, "encounter.checked-in", "Patient checked in"),
        VitalSignsRecorded e => (e.EncounterId, "vitals.recorded",
            "Vital signs recorded" + (e.AbnormalFlags.Length > 0 ? $" (abnormal: {string.Join(", ", e.AbnormalFlags)})" : "")),
        ConsultStarted e => (e.EncounterId, "consult.started", $"Consult started by {e.ClinicianName}"),
        PatientSteppedOut e => (e.EncounterId, "encounter.stepped-out", "Patient stepped out" + (e.Reason is null ? "" : $": {e.Reason}")),
        PatientReturned e => (e.EncounterId, "encounter.returned", "Patient returned"),
        ClinicalNoteRecorded e => (e.EncounterId, "note.recorded",
            $"{Section(e.Section)} documented{(e.AfterClose ? $" after close: {e.Reason}" : "")}"),
        ClinicalNoteAmended e => (e.EncounterId, "note.amended",
            $"{Section(e.Section)} amended to version {e.Version}{(e.AfterClose ? " after close" : "")}: {e.Reason}"),
        EncounterClosed e => (e.EncounterId, "encounter.closed", $"Encounter closed ({EncounterTransitions.Json(e.Disposition)})"),
        EncounterCancelled e => (e.EncounterId, "encounter.cancelled", $"Encounter cancelled: {e.Reason}"),
        PatientDidNotAttend e => (e.EncounterId, "encounter.no-show", "Patient did not attend"),
        EncounterMarkedEnteredInError e => (e.EncounterId, "encounter.entered-in-error", $"Marked entered in error: {e.Reason}"),
        EncounterDocumentationOverdue e => (e.EncounterId, "encounter.documentation-overdue",
            $"Consult open longer than {e.LimitMinutes} minutes"),
        LabOrderPlaced e => (e.EncounterId, "order.placed",
            $"{EncounterTransitions.Json(e.Priority)} lab order: {string.Join(", ", e.Items.Select(i => i.ServiceCode))}"),
        LabOrderItemCancelled e => (e.EncounterId, "order.item-cancelled", $"Lab test cancelled: {e.Reason}"),
        LabOrderCancelled e => (e.EncounterId, "order.cancelled", $"Lab order cancelled: {e.Reason}"),
        LabResultsToFollowMarked e => (e.EncounterId, "order.results-to-follow", "Lab results to follow after the visit"),
        SpecimenCollected e => (e.EncounterId, "sample.collected", $"{e.SpecimenType} specimen collected ({e.AccessionNumber})"),
        SpecimenReceived e => (e.EncounterId, "sample.received", "Specimen received in the lab"),
        SpecimenRejected e => (e.EncounterId, "sample.rejected", $"Specimen rejected ({EncounterTransitions.Json(e.Reason)}): recollection needed"),
        ResultEntered e => (e.EncounterId, "result.entered", $"{e.TestName} result entered (version {e.ReportVersion})"),
        ResultVerified e => (e.EncounterId, "result.verified", $"Result verified (version {e.ReportVersion})"),
        ResultReleased e => (e.EncounterId, "result.released",
            $"Result released{(e.Corrected ? " (corrected)" : "")}{(e.Critical ? " — CRITICAL" : "")}"),
        CriticalResultAcknowledged e => (e.EncounterId, "result.acknowledged", $"Critical result acknowledged: {e.Note}"),
        ResultCorrected e => (e.EncounterId, "result.corrected", $"Result corrected (version {e.ReportVersion}): {e.Reason}"),
        Medications.MedicationRequested e => (e.EncounterId, "medication.prescribed",
            $"{(e.Draft ? "Drafted" : "Prescribed")} {e.Line.Name} {e.Line.Strength}: {e.Line.Dose:0.##} {e.Line.DoseUnit} {e.Line.Route} {e.Line.Frequency} for {e.Line.DurationDays} days" +
            string.Concat(e.Overrides.Select(o => $"; OVERRIDE {o.Code}: {o.Reason}"))),
        Medications.MedicationRequestSigned e => (e.EncounterId, "medication.signed",
            "Prescription signed" + string.Concat(e.Overrides.Select(o => $"; OVERRIDE {o.Code}: {o.Reason}"))),
        Medications.MedicationRequestAmended e => (e.EncounterId, "medication.amended",
            $"Prescription amended: {e.Line.Name} {e.Line.Dose:0.##} {e.Line.DoseUnit} {e.Line.Frequency} for {e.Line.DurationDays} days: {e.Reason}" +
            string.Concat(e.Overrides.Select(o => $"; OVERRIDE {o.Code}: {o.Reason}"))),
        Medications.MedicationRequestStatusChanged e => (e.EncounterId, $"medication.{EncounterTransitions.Json(e.Status)}",
            $"Prescription {EncounterTransitions.Json(e.Status)}" + (e.Reason is null ? "" : $": {e.Reason}")),
        Medications.MedicationDispensed e => (e.EncounterId, "medication.dispensed", $"Dispensed {e.Quantity:0.##} (lot {e.Lot})"),
        _ => Imaging.ImagingTimeline.Describe(data) ?? Billing.BillingSchema.Describe(data),
    };

    private static string Section(NoteSection section) => EncounterTransitions.Json(section) switch
    {
        var s => char.ToUpperInvariant(s[0]) + s[1..],
    };

    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add(new TimelineProjection(), ProjectionLifecycle.Async, Name,
            async => async.DeleteViewTypeOnTeardown<TimelineEntry>());
        opts.Schema.For<TimelineEntry>().Index(x => x.EncounterId);
    }
}

public static class GetTimelineEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize, string? after) => Problems.Validation(Paging.Errors(page, pageSize, after));

    public static Task<EncounterSummary?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<EncounterSummary>(id, ct);

    /// <summary>Every fact of the visit in the order it happened, optionally of one kind (e.g. <c>result</c> or <c>result.released</c>).</summary>
    [ReadsChart("encounter.timeline")]
    [WolverineGet("/api/encounters/{id}/timeline", Name = "GetEncounterTimeline"), Authorize(Actions.ReadTimeline)]
    public static async Task<Page<TimelineEntry>?> Get(Guid id, [NotBody] EncounterSummary? encounter, string? kind, int? page, int? pageSize,
        string? after, bool? count, IQuerySession session, CancellationToken ct)
    {
        if (encounter is null) return null;

        var query = session.Query<TimelineEntry>().Where(t => t.EncounterId == id);
        if (!string.IsNullOrWhiteSpace(kind)) query = query.Where(t => t.Kind == kind || t.Kind.StartsWith(kind + "."));
        return await query.OrderBy(t => t.Sequence).PageAsync(page, pageSize, ct, after, count);
    }
}
