using System.Text.Json.Serialization;

namespace Encounters.Billing;

// Events of an encounter's invoice stream (FHIR ChargeItem / Invoice vocabulary); never changed once written.
public record InvoiceOpened(Guid InvoiceId, Guid EncounterId, string FacilityId, string Currency, DateTimeOffset OpenedAt);

/// <summary>A charge captured from the fact that caused it (its source event and id), priced when captured.</summary>
public record ChargeItemCaptured(Guid InvoiceId, Guid EncounterId, string FacilityId, Guid ChargeId, ChargeCategory Category, string Code,
    string Description, decimal Quantity, decimal UnitPrice, decimal Total, string Currency, bool Priced, string SourceEvent, Guid SourceId,
    DateTimeOffset CapturedAt) : IVisitFact
{
    public TimelineLine Describe() => new("charge.captured", $"Charge: {Description} × {Quantity:0.##} = {Total:0.00} {Currency}");
}

public record ChargeItemVoided(Guid InvoiceId, Guid EncounterId, string FacilityId, Guid ChargeId, ChargeCategory Category, decimal Total,
    string Currency, string Reason, DateTimeOffset VoidedAt) : IVisitFact
{
    public TimelineLine Describe() => new("charge.voided", $"Charge voided ({Total:0.00} {Currency}): {Reason}");
}

public record InvoiceIssued(Guid InvoiceId, Guid EncounterId, string Number, decimal Total, string Currency, DateTimeOffset IssuedAt) : IVisitFact
{
    public TimelineLine Describe() => new("invoice.issued", $"Invoice {Number} issued: {Total:0.00} {Currency}");
}

public record PaymentRecorded(Guid InvoiceId, Guid EncounterId, string FacilityId, Guid PaymentId, decimal Amount, string Currency,
    PaymentMethod Method, string? Reference, DateTimeOffset RecordedAt) : IVisitFact
{
    public TimelineLine Describe() => new("invoice.payment", $"Payment of {Amount:0.00} {Currency} ({ApiText.Of(Method)})");
}

/// <summary>A correction of an issued invoice: it lowers what is owed; the invoice itself never changes.</summary>
public record CreditNoteIssued(Guid InvoiceId, Guid EncounterId, string FacilityId, Guid CreditNoteId, string Number, decimal Amount,
    string Currency, string Reason, DateTimeOffset IssuedAt) : IVisitFact
{
    public TimelineLine Describe() => new("invoice.credit-note", $"Credit note {Number}: {Amount:0.00} {Currency}: {Reason}");
}

/// <summary>The invoice should never have been issued (wrong patient, duplicate): nothing is owed on it.</summary>
public record InvoiceVoided(Guid InvoiceId, Guid EncounterId, string Reason, DateTimeOffset VoidedAt) : IVisitFact
{
    public TimelineLine Describe() => new("invoice.voided", $"Invoice voided: {Reason}");
}

[JsonConverter(typeof(JsonStringEnumConverter<PaymentMethod>))]
public enum PaymentMethod
{
    [JsonStringEnumMemberName("cash")] Cash,
    [JsonStringEnumMemberName("card")] Card,
    [JsonStringEnumMemberName("mobile-money")] MobileMoney,
    [JsonStringEnumMemberName("bank-transfer")] BankTransfer,
    [JsonStringEnumMemberName("insurance")] Insurance,
}

[JsonConverter(typeof(JsonStringEnumConverter<InvoiceStatus>))]
public enum InvoiceStatus
{
    [JsonStringEnumMemberName("draft")] Draft,
    [JsonStringEnumMemberName("issued")] Issued,
    [JsonStringEnumMemberName("partially-paid")] PartiallyPaid,
    [JsonStringEnumMemberName("paid")] Paid,
    [JsonStringEnumMemberName("void")] Void,
}

/// <summary>A charge line. <c>onInvoice</c> is false for one captured after issue (it waits for a supplementary invoice).</summary>
public record ChargeItem(Guid Id, ChargeCategory Category, string Code, string Description, decimal Quantity, decimal UnitPrice, decimal Total,
    bool Priced, string SourceEvent, Guid SourceId, DateTimeOffset CapturedAt, bool OnInvoice, bool Voided = false, string? VoidReason = null);

public record Payment(Guid Id, decimal Amount, PaymentMethod Method, string? Reference, DateTimeOffset RecordedAt);

public record CreditNote(Guid Id, string Number, decimal Amount, string Reason, DateTimeOffset IssuedAt);

/// <summary>The encounter's invoice: write model and, kept inline, what billing reads. Money is decimal in one currency.</summary>
public sealed partial record Invoice(Guid Id, Guid EncounterId, string FacilityId, string Currency) : Scope.IFacilityScoped
{
    public static string Resource => "Invoice";

    public long Version { get; set; }
    public string? Number { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public decimal? IssuedTotal { get; init; }
    public IReadOnlyList<ChargeItem> Charges { get; init; } = [];
    public IReadOnlyList<Payment> Payments { get; init; } = [];
    public IReadOnlyList<CreditNote> CreditNotes { get; init; } = [];
    public string? VoidReason { get; init; }

    /// <summary>The sum of the live charges on the invoice (frozen at issue: an issued invoice never changes).</summary>
    public decimal Total => IssuedTotal ?? Charges.Where(c => c is { OnInvoice: true, Voided: false }).Sum(c => c.Total);
    public decimal Credited => CreditNotes.Sum(c => c.Amount);
    public decimal Paid => Payments.Sum(p => p.Amount);

    /// <summary>What is still owed: charges minus credit notes minus payments (negative: a refund is due).</summary>
    public decimal Balance => VoidReason is null ? Total - Credited - Paid : 0m;

    public InvoiceStatus Status => VoidReason is not null ? InvoiceStatus.Void
        : Number is null ? InvoiceStatus.Draft
        : Balance <= 0 ? InvoiceStatus.Paid
        : Paid > 0 ? InvoiceStatus.PartiallyPaid
        : InvoiceStatus.Issued;

    public static Invoice Create(InvoiceOpened e) => new(e.InvoiceId, e.EncounterId, e.FacilityId, e.Currency);

    public Invoice Apply(ChargeItemCaptured e) => this with
    {
        Charges = [.. Charges, new ChargeItem(e.ChargeId, e.Category, e.Code, e.Description, e.Quantity, e.UnitPrice, e.Total, e.Priced,
            e.SourceEvent, e.SourceId, e.CapturedAt, OnInvoice: Number is null && VoidReason is null)],
    };

    public Invoice Apply(ChargeItemVoided e) =>
        this with { Charges = Charges.Select(c => c.Id == e.ChargeId ? c with { Voided = true, VoidReason = e.Reason } : c).ToList() };

    public Invoice Apply(InvoiceIssued e) => this with { Number = e.Number, IssuedAt = e.IssuedAt, IssuedTotal = e.Total };
    public Invoice Apply(PaymentRecorded e) => this with { Payments = [.. Payments, new Payment(e.PaymentId, e.Amount, e.Method, e.Reference, e.RecordedAt)] };
    public Invoice Apply(InvoiceVoided e) => this with { VoidReason = e.Reason };
    public Invoice Apply(CreditNoteIssued e) => this with { CreditNotes = [.. CreditNotes, new CreditNote(e.CreditNoteId, e.Number, e.Amount, e.Reason, e.IssuedAt)] };

    public static Guid IdFor(Guid encounterId) => DerivedIds.Of($"invoice|{encounterId}");

    /// <summary>An invoice not yet opened (nothing charged yet): what the encounter's invoice reads as.</summary>
    public static Invoice Empty(Guid encounterId, string facilityId, string currency) => new(IdFor(encounterId), encounterId, facilityId, currency);
}

public static class BillingSchema
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Snapshot<Invoice>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<PriceList>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
        IndexedColumns.Store<Invoice>(opts, x => x.EncounterId);
        opts.Schema.For<Invoice>().Index(x => x.EncounterId);
        opts.Events.AddEventTypes([
            typeof(PriceSet), typeof(InvoiceOpened), typeof(ChargeItemCaptured), typeof(ChargeItemVoided), typeof(InvoiceIssued),
            typeof(PaymentRecorded), typeof(CreditNoteIssued), typeof(InvoiceVoided),
        ]);
    }
}
