using Encounters.Encounters;
using JasperFx.Events;

namespace Encounters.Billing;

public record VoidInvoice(string? Reason);

public static class VoidInvoiceEndpoint
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) => InvoiceChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate(VoidInvoice command, [NotBody] IEventStream<Invoice> stream, CurrentScope scope) =>
        stream.Found()
            .Then(() => Problems.Validation(Reasons.Errors(command.Reason)))
            .Then(() => stream.Aggregate!.Is("void", InvoiceStatus.Draft, InvoiceStatus.Issued))
            // Money already taken or credited is corrected with a credit note, not by making the invoice disappear.
            .Then(() => stream.Aggregate!.CreditNotes.Count == 0
                ? WolverineContinue.NoProblems
                : Problems.Conflict("invoice.has_credit_notes", "An invoice with credit notes cannot be voided."));

    /// <summary>Voids an invoice on which nothing was paid or credited (wrong patient, duplicate visit): nothing is owed on it.</summary>
    [WolverinePost("/api/encounters/{id}/invoice/void", Name = "VoidInvoice"), Authorize(Actions.IssueInvoice)]
    public static Invoice Post(VoidInvoice command, [NotBody] IEventStream<Invoice> stream, TimeProvider clock) =>
        stream.Decide(new InvoiceVoided(stream.Aggregate!.Id, stream.Aggregate.EncounterId, command.Reason!.Trim(), clock.GetUtcNow()));
}
