using Encounters.Audit;

namespace Encounters.Lab;

public static class GetSampleEndpoints
{
    [ReadsChart("sample")]
    [WolverineGet("/api/lab/samples/{id}", Name = "GetSample"), Authorize(Actions.ReadSample)]
    public static Task<SampleView?> Get(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<SampleView>(id, ct);

    /// <summary>The sample a scanned barcode belongs to (an empty list when none in this facility).</summary>
    [ReadsChart("sample.search")]
    [WolverineGet("/api/lab/samples", Name = "FindSampleByBarcode"), Authorize(Actions.ReadSample)]
    public static async Task<IReadOnlyList<SampleView>> Find(string? barcode, IQuerySession session, CurrentScope scope,
        CancellationToken ct) =>
        string.IsNullOrWhiteSpace(barcode)
            ? []
            : await session.Query<SampleView>().Where(s => s.FacilityId == scope.FacilityId && s.Barcode == barcode.Trim()).ToListAsync(ct);
}
