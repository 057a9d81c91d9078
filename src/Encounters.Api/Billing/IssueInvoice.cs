using JasperFx.Events;

namespace Encounters.Billing;

public static class IssueInvoiceEndpoint
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) => InvoiceChange.LoadAsync(id, session, ct);

    public static ProblemDetails Validate([NotBody] IEventStream<Invoice> stream, CurrentScope scope) =>
        stream.Found()
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
