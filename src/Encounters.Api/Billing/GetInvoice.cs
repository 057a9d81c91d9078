using Encounters.Audit;
using Encounters.Encounters;

namespace Encounters.Billing;

public static class GetInvoiceEndpoint
{
    /// <summary>The encounter's invoice: its charges (with their source), payments, credit notes and balance; a draft until issued.</summary>
    [ReadsChart("invoice", Purpose = "payment")]
    [WolverineGet("/api/encounters/{id}/invoice", Name = "GetInvoice"), Authorize(Actions.ReadInvoice)]
    public static async Task<Invoice?> Get(Guid id, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        if (await session.LoadAsync<Invoice>(Invoice.IdFor(id), ct) is { } invoice) return invoice;
        // Nothing charged yet: the visit's invoice is an empty draft, in the encounter's facility's currency.
        if (await EncounterSummary.LoadAsync(id, session, ct) is not { } encounter) return null;
        var prices = await session.LoadAsync<PriceList>(PriceList.IdFor(session.TenantId, encounter.FacilityId), ct);
        return Invoice.Empty(id, encounter.FacilityId, prices?.Currency ?? ChargeCapture.DefaultCurrency);
    }
}
