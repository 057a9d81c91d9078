using System.Text.Json.Serialization;

namespace Encounters.Medications;

/// <summary>One prescribed medicine as written: the formulary entry it was checked against, dose, and how much to supply.</summary>
public record MedicationLine(string Code, string Name, string Atc, string TherapeuticClass, string? AllergyClass, string Strength,
    decimal Dose, string DoseUnit, string Route, string Frequency, int DurationDays, decimal Quantity, string DispenseUnit, int Refills,
    string? Instructions);

/// <summary>A safety finding the prescriber chose to override, and why (shown on the timeline and in the audit).</summary>
public record SafetyOverride(string Code, string Finding, string Reason);

// Events of a prescription stream (FHIR MedicationRequest; lines written together share a group id).
public record MedicationRequested(Guid PrescriptionId, Guid GroupId, Guid EncounterId, Guid PatientId, string FacilityId, MedicationLine Line,
    SafetyOverride[] Overrides, string PrescribedBy, string PrescriberName, DateTimeOffset PrescribedAt, DateTimeOffset ValidUntil,
    bool Draft = false) : IVisitFact
{
    public TimelineLine Describe() => new("medication.prescribed", $"{(Draft ? "Drafted" : "Prescribed")} {Line.Name} {Line.Strength}: {Line.Dose:0.##} {Line.DoseUnit} {Line.Route} {Line.Frequency} for {Line.DurationDays} days" + string.Concat(Overrides.Select(o => $"; OVERRIDE {o.Code}: {o.Reason}")));
}

/// <summary>A draft signed by its prescriber: active from now, valid as long as the draft said, with any overrides signing needed.</summary>
public record MedicationRequestSigned(Guid PrescriptionId, Guid EncounterId, MedicationLine Line, SafetyOverride[] Overrides, string SignedBy, DateTimeOffset SignedAt,
    DateTimeOffset ValidUntil) : IVisitFact
{
    public TimelineLine Describe() => new("medication.signed", "Prescription signed" + string.Concat(Overrides.Select(o => $"; OVERRIDE {o.Code}: {o.Reason}")));
}

public record MedicationRequestStatusChanged(Guid PrescriptionId, Guid EncounterId, PrescriptionStatus Status, string? Reason, DateTimeOffset ChangedAt) : IVisitFact
{
    public TimelineLine Describe() => new($"medication.{ApiText.Of(Status)}", $"Prescription {ApiText.Of(Status)}" + (Reason is null ? "" : $": {Reason}"));
}

/// <summary>FHIR MedicationDispense: a quantity handed over from a batch.</summary>
public record MedicationDispensed(Guid PrescriptionId, Guid EncounterId, Guid PatientId, Guid DispenseId, decimal Quantity, string Lot,
    DateOnly LotExpiry, string DispensedBy, DateTimeOffset DispensedAt, decimal RemainingAfter) : IVisitFact
{
    public TimelineLine Describe() => new("medication.dispensed", $"Dispensed {Quantity:0.##} (lot {Lot})");
}

[JsonConverter(typeof(JsonStringEnumConverter<PrescriptionStatus>))]
public enum PrescriptionStatus
{
    [JsonStringEnumMemberName("draft")] Draft,
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("stopped")] Stopped,
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    [JsonStringEnumMemberName("entered-in-error")] EnteredInError,
}

public record Dispense(Guid Id, decimal Quantity, string Lot, DateOnly LotExpiry, string DispensedBy, DateTimeOffset DispensedAt);

/// <summary>The prescription: its write model and what the API shows, kept inline with its events.</summary>
public sealed partial class Prescription : Scope.IFacilityScoped
{
    public static string Resource => "Prescription";

    public Guid Id { get; set; }
    public Guid GroupId { get; set; }
    public Guid EncounterId { get; set; }
    public Guid PatientId { get; set; }
    public string FacilityId { get; set; } = "";
    public MedicationLine Line { get; set; } = null!;
    public SafetyOverride[] Overrides { get; set; } = [];
    public PrescriptionStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public string PrescribedBy { get; set; } = "";
    public string PrescriberName { get; set; } = "";
    public DateTimeOffset PrescribedAt { get; set; }
    public DateTimeOffset ValidUntil { get; set; }

    /// <summary>What may be supplied in all: the quantity once plus once per refill.</summary>
    public decimal Authorized { get; set; }

    public decimal Dispensed { get; set; }
    public List<Dispense> Dispenses { get; set; } = [];

    /// <summary>Active with something left to supply (the pharmacy worklist).</summary>
    public bool AwaitingDispense { get; set; }

    public long Version { get; set; }

    public decimal Remaining => Authorized - Dispensed;

    public static Prescription Create(MedicationRequested e) => new()
    {
        Id = e.PrescriptionId, GroupId = e.GroupId, EncounterId = e.EncounterId, PatientId = e.PatientId, FacilityId = e.FacilityId,
        Line = e.Line, Overrides = e.Overrides, Status = e.Draft ? PrescriptionStatus.Draft : PrescriptionStatus.Active, PrescribedBy = e.PrescribedBy,
        PrescriberName = e.PrescriberName, PrescribedAt = e.PrescribedAt, ValidUntil = e.ValidUntil,
        Authorized = e.Line.Quantity * (1 + e.Line.Refills), AwaitingDispense = !e.Draft, Version = 1,
    };

    public void Apply(MedicationRequestSigned e)
    {
        (Status, ValidUntil, AwaitingDispense) = (PrescriptionStatus.Active, e.ValidUntil, true);
        Overrides = [.. Overrides, .. e.Overrides];
    }

    public void Apply(MedicationRequestStatusChanged e)
    {
        (Status, StatusReason) = (e.Status, e.Reason);
        AwaitingDispense = false;
    }

    public void Apply(MedicationDispensed e)
    {
        Dispensed += e.Quantity;
        Dispenses.Add(new Dispense(e.DispenseId, e.Quantity, e.Lot, e.LotExpiry, e.DispensedBy, e.DispensedAt));
        AwaitingDispense = Status == PrescriptionStatus.Active && Remaining > 0;
    }

    /// <summary>A copy to decide on: a fetched aggregate is never changed.</summary>
    public Prescription Copy()
    {
        var copy = (Prescription)MemberwiseClone();
        copy.Dispenses = [.. Dispenses];
        return copy;
    }

    public bool Expired(DateTimeOffset now) => now >= ValidUntil;

    /// <summary>A current medication: active and within its validity.</summary>
    public bool Current(DateTimeOffset now) => Status == PrescriptionStatus.Active && !Expired(now);
}

public static class PrescriptionSchema
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<Prescription>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
        IndexedColumns.Store<Prescription>(opts, x => x.PatientId, x => x.EncounterId, x => x.FacilityId);
        opts.Schema.For<Prescription>().Index(x => x.PatientId).Index(x => x.EncounterId).Index(x => x.FacilityId);
        opts.Events.AddEventTypes([typeof(MedicationRequested), typeof(MedicationRequestSigned), typeof(MedicationRequestAmended), typeof(MedicationRequestStatusChanged), typeof(MedicationDispensed),
            typeof(FormularyEntryChanged)]);
    }
}
