using Encounters.Audit;

namespace Encounters.Billing;

public static class GetPricesEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize) => Problems.Validation(Paging.Errors(page, pageSize));

    /// <summary>Every price this facility has set, by code and date.</summary>
    [NoPatientData]
    [WolverineGet("/api/billing/prices", Name = "GetPrices"), Authorize(Actions.ReadPrices)]
    public static async Task<Page<PriceSet>> Get(int? page, int? pageSize, IQuerySession session, CurrentScope scope, CancellationToken ct)
    {
        var list = await session.LoadAsync<PriceList>(PriceList.IdFor(session.TenantId, scope.FacilityId), ct);
        return Paging.Of((list?.Prices ?? []).OrderBy(p => p.Category).ThenBy(p => p.Code).ThenBy(p => p.ValidFrom).ToList(), page, pageSize);
    }
}
