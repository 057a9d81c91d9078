using Wolverine.Attributes;

namespace Encounters.Contracts;

// The facts one module publishes for others, and the only types of its that another module may use. Each travels
// through Wolverine's durable outbox in the transaction that decided it, to a durable local queue of its consumer.
// Their message identities keep the names they were first stored under, so envelopes in flight survive the move.

/// <summary>
/// The cross-module fact that a report reached the clinic. Published through Wolverine's durable
/// outbox in the release's own transaction; the encounter module records it on the encounter.
/// </summary>
[MessageIdentity("Encounters.Lab.LabReportReleased")]
public record LabReportReleased(Guid ResultId, Guid OrderId, Guid EncounterId, string FacilityId, string TestCode, string TestName,
    int ReportVersion, bool Critical, bool Corrected, string OrderedBy, DateTimeOffset ReleasedAt, EventActor ReleasedBy);

/// <summary>The cross-module fact that a test's work is done and reported (billing charges it); one message per consumer, sent durably.</summary>
[MessageIdentity("Encounters.Lab.LabItemReleased")]
public record LabItemReleased(Guid ResultId, Guid EncounterId, string FacilityId, string TestCode, string TestName, bool Corrected,
    DateTimeOffset ReleasedAt, EventActor ReleasedBy);

/// <summary>The cross-module fact that a clinician saw the patient (billing charges the consultation), sent durably with the command.</summary>
[MessageIdentity("Encounters.Encounters.EncounterConsultStarted")]
public record EncounterConsultStarted(Guid EncounterId, Guid PatientId, string FacilityId, DateTimeOffset StartedAt, EventActor StartedBy);

/// <summary>The cross-module fact that a visit's work must not be charged (it was entered in error), sent durably with the command.</summary>
[MessageIdentity("Encounters.Encounters.EncounterWithdrawn")]
public record EncounterWithdrawn(Guid EncounterId, string FacilityId, string Reason, EventActor By);

/// <summary>
/// The cross-module fact that an imaging report reached the clinic, published through Wolverine's durable outbox in the
/// release's own transaction; the encounter module records it (and holds the close while a critical finding waits).
/// </summary>
public record RadiologyReportReleased(Guid RequestId, Guid EncounterId, string FacilityId, string ProcedureCode, string ProcedureName,
    int ReportVersion, bool Critical, bool Addendum, string OrderedBy, DateTimeOffset ReleasedAt, EventActor ReleasedBy);

/// <summary>The cross-module fact that a study was done and reported (billing charges its price code); one message per consumer.</summary>
public record ImagingItemReleased(Guid RequestId, Guid EncounterId, string FacilityId, string PriceCode, string ProcedureName, bool Addendum,
    DateTimeOffset ReleasedAt, EventActor ReleasedBy);

/// <summary>The cross-module fact that the ordering clinician acknowledged a critical imaging finding (the encounter may close).</summary>
public record RadiologyCriticalFindingAcknowledged(Guid RequestId, Guid EncounterId, string FacilityId, DateTimeOffset AcknowledgedAt,
    EventActor AcknowledgedBy);
