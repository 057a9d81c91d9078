using Encounters.Audit;
using Encounters.Encounters;
using JasperFx.Events;

namespace Encounters.Billing;

/// <summary>The encounter's invoice stream, opened for writing with the version it was read at.</summary>
public static class InvoiceChange
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        session.Events.FetchForWriting<Invoice>(Invoice.IdFor(id), ct);

    /// <summary>404 when nothing was charged yet or the encounter is another facility's; 412 for a stale If-Match.</summary>
    public static ProblemDetails Guard(this IEventStream<Invoice> stream, CurrentScope scope) =>
        stream.Aggregate is { } invoice ? scope.Guard(invoice.FacilityId, stream.CurrentVersion ?? invoice.Version, "Invoice") : Problems.NotFound("Invoice");

    public static Invoice Decide(this IEventStream<Invoice> stream, object @event)
    {
        var version = stream.CurrentVersion ?? stream.Aggregate!.Version;
        stream.AppendOne(@event);
        return stream.Aggregate!.After(@event) with { Version = version + 1 };
    }

    public static ProblemDetails Is(this Invoice invoice, string action, params InvoiceStatus[] statuses) =>
        statuses.Contains(invoice.Status)
            ? WolverineContinue.NoProblems
            : Problems.Conflict("invoice.invalid_transition", $"Cannot {action} an invoice that is {EncounterTransitions.Json(invoice.Status)}.",
                new { currentStatus = EncounterTransitions.Json(invoice.Status) });
}

public static class GetInvoiceEndpoint
{
    /// <summary>The encounter's invoice: its charges (with their source), payments, credit notes and balance; a draft until issued.</summary>
    [ReadsChart("invoice", Purpose = "payment")]
    [WolverineGet("/api/encounters/{id}/invoice", Name = "GetInvoice"), Authorize(Actions.ReadInvoice)]
    public static async Task<Invoice?> Get(Guid id, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        if (await session.LoadAsync<Invoice>(Invoice.IdFor(id), ct) is { } invoice) return invoice.FacilityId == scope.FacilityId ? invoice : null;
        // Nothing charged yet: the visit's invoice is an empty draft, in the facility's currency.
        if (await session.LoadAsync<EncounterSummary>(id, ct) is not { } encounter || encounter.FacilityId != scope.FacilityId) return null;
        var prices = await session.LoadAsync<PriceList>(PriceList.IdFor(session.TenantId, scope.FacilityId), ct);
        return Invoice.Empty(id, scope.FacilityId, prices?.Currency ?? ChargeCapture.DefaultCurrency);
    }
}

public static class IssueInvoiceEndpoint
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) => InvoiceChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate([NotBody] IEventStream<Invoice> stream, CurrentScope scope) =>
        stream.Guard(scope)
            .Then(() => stream.Aggregate!.Is("issue", InvoiceStatus.Draft))
            .Then(() => stream.Aggregate!.Charges.Any(c => !c.Voided)
                ? WolverineContinue.NoProblems
                : Problems.Conflict("invoice.empty", "Every charge is voided: there is nothing to invoice."));

    /// <summary>Issues the draft: it gets a number, its total is frozen, and from then on it takes payments and credit notes only.</summary>
    [WolverinePost("/api/encounters/{id}/invoice/issue", Name = "IssueInvoice"), Authorize(Actions.IssueInvoice)]
    public static async Task<Invoice> Post([NotBody] IEventStream<Invoice> stream, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var invoice = stream.Aggregate!;
        var now = clock.GetUtcNow();
        var number = await Sequences.NextAsync(session, $"invoice:{invoice.FacilityId}:{now.Year}", ct);
        return stream.Decide(new InvoiceIssued(invoice.Id, invoice.EncounterId, $"INV-{invoice.FacilityId.ToUpperInvariant()}-{now.Year}-{number:D6}",
            invoice.Total, invoice.Currency, now));
    }
}

public record RecordPayment(decimal? Amount, string? Currency, PaymentMethod? Method, string? Reference);

public static class RecordPaymentEndpoint
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) => InvoiceChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(RecordPayment command, [NotBody] IEventStream<Invoice> stream, CurrentScope scope)
    {
        var errors = new Dictionary<string, string[]>();
        Money.Amount(errors, "amount", command.Amount);
        if (command.Currency is not null) Money.Currency(errors, "currency", command.Currency);
        if (command.Method is not { } method || !Enum.IsDefined(method)) errors["method"] = ["cash, card, mobile-money, bank-transfer or insurance."];
        Requests.Limits.Text(errors, "reference", command.Reference, Requests.Limits.Code);
        return stream.Guard(scope)
            .Then(() => Problems.Validation(errors))
            .Then(() => stream.Aggregate!.Is("record a payment on", InvoiceStatus.Issued, InvoiceStatus.PartiallyPaid))
            .Then(() => command.Currency is { } c && c != stream.Aggregate!.Currency
                ? Problems.Conflict("payment.currency_mismatch", $"The invoice is in {stream.Aggregate.Currency}.")
                // A payment already recorded under its reference (a retry without the Idempotency-Key) is named as such.
                : !string.IsNullOrWhiteSpace(command.Reference) &&
                  stream.Aggregate!.Payments.Any(p => p.Method == command.Method && p.Reference == command.Reference.Trim())
                    ? Problems.Conflict("payment.duplicate_reference", "A payment with this method and reference is already recorded.")
                    : command.Amount > stream.Aggregate!.Balance
                        ? Problems.Conflict("payment.exceeds_balance", "The payment is more than the balance.", new { balance = stream.Aggregate.Balance })
                        : WolverineContinue.NoProblems);
    }

    /// <summary>
    /// Records a payment (amount, method, reference) on an issued invoice: partially paid, then paid when the balance is zero.
    /// A retry with the same Idempotency-Key answers the first payment and records nothing; a known reference is refused.
    /// </summary>
    [WolverinePost("/api/encounters/{id}/invoice/payments", Name = "RecordPayment"), Authorize(Actions.RecordPayment)]
    public static Invoice Post(RecordPayment command, [NotBody] IEventStream<Invoice> stream, TimeProvider clock)
    {
        var invoice = stream.Aggregate!;
        return stream.Decide(new PaymentRecorded(invoice.Id, invoice.EncounterId, invoice.FacilityId, Guid.CreateVersion7(), command.Amount!.Value,
            invoice.Currency, command.Method!.Value, string.IsNullOrWhiteSpace(command.Reference) ? null : command.Reference.Trim(), clock.GetUtcNow()));
    }
}

public record IssueCreditNote(decimal? Amount, string? Reason);

public static class IssueCreditNoteEndpoint
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) => InvoiceChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(IssueCreditNote command, [NotBody] IEventStream<Invoice> stream, CurrentScope scope)
    {
        var errors = Reasons.Errors(command.Reason);
        Money.Amount(errors, "amount", command.Amount);
        return stream.Guard(scope)
            .Then(() => Problems.Validation(errors))
            .Then(() => stream.Aggregate!.Is("credit", InvoiceStatus.Issued, InvoiceStatus.PartiallyPaid, InvoiceStatus.Paid))
            .Then(() => command.Amount > stream.Aggregate!.Total - stream.Aggregate.Credited
                ? Problems.Conflict("credit.exceeds_invoice", "Credit notes cannot exceed the invoice's total.",
                    new { creditable = stream.Aggregate.Total - stream.Aggregate.Credited })
                : WolverineContinue.NoProblems);
    }

    /// <summary>Corrects an issued invoice without changing it: a numbered credit note lowers what is owed (a negative balance is a refund due).</summary>
    [WolverinePost("/api/encounters/{id}/invoice/credit-notes", Name = "IssueCreditNote"), Authorize(Actions.IssueInvoice)]
    public static async Task<Invoice> Post(IssueCreditNote command, [NotBody] IEventStream<Invoice> stream, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var invoice = stream.Aggregate!;
        var now = clock.GetUtcNow();
        var number = await Sequences.NextAsync(session, $"credit-note:{invoice.FacilityId}:{now.Year}", ct);
        return stream.Decide(new CreditNoteIssued(invoice.Id, invoice.EncounterId, invoice.FacilityId, Guid.CreateVersion7(),
            $"CN-{invoice.FacilityId.ToUpperInvariant()}-{now.Year}-{number:D6}", command.Amount!.Value, invoice.Currency, command.Reason!.Trim(), now));
    }
}
