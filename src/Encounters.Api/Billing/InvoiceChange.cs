using Encounters.Encounters;
using JasperFx.Events;

namespace Encounters.Billing;

/// <summary>The encounter's invoice stream, opened for writing with the version it was read at.</summary>
public static class InvoiceChange
{
    public static Task<IEventStream<Invoice>> LoadAsync(Guid id, IDocumentSession session, CancellationToken ct) =>
        session.Events.FetchForWriting<Invoice>(Invoice.IdFor(id), ct);

    public static Invoice Decide(this IEventStream<Invoice> stream, object @event)
    {
        var version = stream.CurrentVersion ?? stream.Aggregate!.Version;
        stream.AppendOne(@event);
        return stream.Aggregate!.After(@event) with { Version = version + 1 };
    }

    public static ProblemDetails Is(this Invoice invoice, string action, params InvoiceStatus[] statuses) =>
        statuses.Contains(invoice.Status)
            ? WolverineContinue.NoProblems
            : Problems.Conflict("invoice.invalid_transition", $"Cannot {action} an invoice that is {ApiText.Of(invoice.Status)}.",
                new { currentStatus = ApiText.Of(invoice.Status) });
}
