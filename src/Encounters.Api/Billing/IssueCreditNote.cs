using Encounters.Encounters;
using JasperFx.Events;

namespace Encounters.Billing;

public record IssueCreditNote(decimal? Amount, string? Reason);

public static class IssueCreditNoteEndpoint
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) => InvoiceChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(IssueCreditNote command, [NotBody] IEventStream<Invoice> stream, CurrentScope scope)
    {
        var errors = Reasons.Errors(command.Reason);
        Money.Amount(errors, "amount", command.Amount);
        return stream.Found()
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
