using System.Globalization;
using System.Text;
using Encounters.Audit;

namespace Encounters.Billing;

/// <summary>One line of the day's totals: a kind (charge, void, payment, credit-note), its category or method, and the money.</summary>
public record DailyLine(string Kind, string Key, string Currency, int Count, decimal Amount);

public record DailyTotals(DateOnly Date, string FacilityId, IReadOnlyList<DailyLine> Items, int PageNumber, int PageSize, long Total) : IPage
{
    IEnumerable<object> IPage.Rows => Items;
}

public static class DailyTotalsEndpoint
{
    public static ProblemDetails Validate(DateOnly? date, int? page, int? pageSize, TimeProvider clock) =>
        Problems.Validation(Scheduling.AppointmentDates.Errors(date, clock.GetUtcNow(), Paging.Errors(page, pageSize)));

    /// <summary>
    /// A day's (UTC, default today) money at this facility: charges and voids by category, payments by method, credit notes,
    /// per currency. Read from billing's own events, so it is exact whenever it is asked.
    /// </summary>
    [NoPatientData]
    [WolverineGet("/api/billing/daily", Name = "GetDailyTotals"), Authorize(Actions.ReadBillingReport)]
    public static async Task<DailyTotals> Get(DateOnly? date, int? page, int? pageSize, IQuerySession session, CurrentScope scope,
        TimeProvider clock, CancellationToken ct)
    {
        var day = date ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var lines = await LinesAsync(day, session, scope.FacilityId, ct);
        var (number, size) = Paging.Of(page, pageSize);
        return new DailyTotals(day, scope.FacilityId, lines.Skip((number - 1) * size).Take(size).ToList(), number, size, lines.Count);
    }

    /// <summary>The same totals as CSV (kind, key, currency, count, amount), for a spreadsheet or the accounts.</summary>
    [NoPatientData]
    [WolverineGet("/api/billing/daily/export", Name = "ExportDailyTotals"), Authorize(Actions.ReadBillingReport)]
    public static async Task<IResult> Export(DateOnly? date, IQuerySession session, CurrentScope scope, TimeProvider clock, CancellationToken ct)
    {
        var day = date ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var csv = new StringBuilder("date,kind,key,currency,count,amount\n");
        foreach (var l in await LinesAsync(day, session, scope.FacilityId, ct))
            csv.Append(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},{l.Kind},{l.Key},{l.Currency},{l.Count},{l.Amount:0.00##}\n");
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static async Task<List<DailyLine>> LinesAsync(DateOnly day, IQuerySession session, string facility, CancellationToken ct)
    {
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var charges = await session.Events.QueryRawEventDataOnly<ChargeItemCaptured>()
            .Where(e => e.FacilityId == facility && e.CapturedAt >= from && e.CapturedAt < to).ToListAsync(ct);
        var voids = await session.Events.QueryRawEventDataOnly<ChargeItemVoided>()
            .Where(e => e.FacilityId == facility && e.VoidedAt >= from && e.VoidedAt < to).ToListAsync(ct);
        var payments = await session.Events.QueryRawEventDataOnly<PaymentRecorded>()
            .Where(e => e.FacilityId == facility && e.RecordedAt >= from && e.RecordedAt < to).ToListAsync(ct);
        var credits = await session.Events.QueryRawEventDataOnly<CreditNoteIssued>()
            .Where(e => e.FacilityId == facility && e.IssuedAt >= from && e.IssuedAt < to).ToListAsync(ct);

        return charges.GroupBy(c => (Key: Json(c.Category), c.Currency)).Select(g => new DailyLine("charge", g.Key.Key, g.Key.Currency, g.Count(), g.Sum(c => c.Total)))
            .Concat(voids.GroupBy(v => (Key: Json(v.Category), v.Currency)).Select(g => new DailyLine("void", g.Key.Key, g.Key.Currency, g.Count(), g.Sum(v => v.Total))))
            .Concat(payments.GroupBy(p => (Key: Json(p.Method), p.Currency)).Select(g => new DailyLine("payment", g.Key.Key, g.Key.Currency, g.Count(), g.Sum(p => p.Amount))))
            .Concat(credits.GroupBy(c => c.Currency).Select(g => new DailyLine("credit-note", "all", g.Key, g.Count(), g.Sum(c => c.Amount))))
            .OrderBy(l => l.Kind).ThenBy(l => l.Key).ThenBy(l => l.Currency).ToList();
    }

    private static string Json<T>(T value) where T : struct, Enum => ApiText.Of(value);
}
