using Encounters.Audit;
using Encounters.Encounters;

namespace Encounters.Lab;

public record WorklistRow(Guid OrderId, Guid ItemId, Guid EncounterId, Guid PatientId, string ServiceCode, string Name,
    OrderPriority Priority, string SpecimenType, Guid? SampleId, string? AccessionNumber, string? EnteredBy, DateTimeOffset WaitingSince,
    double WaitingMinutes);

/// <summary>The lab's screens: what waits at each stage, stat first, then oldest first.</summary>
public static class WorklistEndpoint
{
    public static readonly string[] Stages = ["to-collect", "to-receive", "to-result", "to-verify", "to-release"];

    public static ProblemDetails Validate(string? stage, int? page, int? pageSize)
    {
        var errors = Paging.Errors(page, pageSize);
        if (stage is null || !Stages.Contains(stage)) errors["stage"] = [$"One of {string.Join(", ", Stages)}."];
        return Problems.Validation(errors);
    }

    [ReadsChart("lab.worklist")]
    [WolverineGet("/api/lab/worklist", Name = "GetLabWorklist"), Authorize(Actions.ReadWorklist)]
    public static async Task<Page<WorklistRow>> Get(string stage, int? page, int? pageSize, IQuerySession session, CurrentScope scope,
        TimeProvider clock, CancellationToken ct) =>
        Paging.Of(await Rows(stage, session, scope, clock, ct), page, pageSize);

    private static async Task<IReadOnlyList<WorklistRow>> Rows(string stage, IQuerySession session, CurrentScope scope, TimeProvider clock,
        CancellationToken ct)
    {
        var orders = await session.QueryAsync(new OpenOrdersOfFacility { FacilityId = scope.FacilityId }, ct);
        var now = clock.GetUtcNow();
        return orders
            .SelectMany(o => o.Items.Select(i => (Order: o, Item: i, Since: WaitingSince(stage, i))))
            .Where(row => row.Since is not null)
            .Select(row => new WorklistRow(row.Order.Id, row.Item.ItemId, row.Order.EncounterId, row.Order.PatientId, row.Item.ServiceCode,
                row.Item.Name, row.Order.Priority, row.Item.SpecimenType, row.Item.SampleId, row.Item.AccessionNumber, row.Item.EnteredBy,
                row.Since!.Value, Math.Round((now - row.Since.Value).TotalMinutes, 1)))
            .OrderBy(row => row.Priority)
            .ThenBy(row => row.WaitingSince)
            .ToList();
    }

    /// <summary>When the item entered the stage, or null when it is not in it.</summary>
    private static DateTimeOffset? WaitingSince(string stage, OrderItemView i) => stage switch
    {
        "to-collect" when i.State == ItemState.AwaitingCollection => i.OrderedAt,
        "to-receive" when i.State == ItemState.Collected => i.CollectedAt,
        "to-result" when i.State == ItemState.Received && i.ResultStage is null => i.ReceivedAt,
        "to-verify" when i.ResultStage == "entered" => i.ResultedAt,
        "to-release" when i.ResultStage == "verified" => i.VerifiedAt,
        _ => null,
    };
}
