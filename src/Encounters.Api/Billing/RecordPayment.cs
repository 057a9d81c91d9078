using JasperFx.Events;

namespace Encounters.Billing;

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
        return stream.Found()
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
