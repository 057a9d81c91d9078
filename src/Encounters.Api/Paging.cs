using System.Text.Json.Serialization;

namespace Encounters;

/// <summary>A page of rows of any kind (read auditing looks inside to see whom a page shows).</summary>
public interface IPage
{
    IEnumerable<object> Rows { get; }
}

/// <summary>
/// One page of a list. <c>hasMore</c> says whether another page follows. <c>total</c> (every matching row) is given on
/// the first page only for lists read from the database: counting reads every matching row, so a client paging on
/// would pay for the whole list on every page. Lists kept in memory always give it.
/// </summary>
public record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Total, bool HasMore) : IPage
{
    IEnumerable<object> IPage.Rows => Items.Cast<object>();

    public Page<TOut> Select<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), PageNumber, PageSize, Total, HasMore);
}

/// <summary>
/// The one paging rule of every list: page 1..<see cref="MaxPage"/>, pageSize 1..<see cref="MaxPageSize"/>.
/// The bounds keep the offset ((page - 1) * pageSize) far inside an int, so no page can overflow it.
/// </summary>
public static class Paging
{
    public const int MaxPageSize = 500;
    public const int MaxPage = 100_000;
    public const int DefaultPageSize = 50;

    public static Dictionary<string, string[]> Errors(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage) errors["page"] = [$"Must be between 1 and {MaxPage}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        return errors;
    }

    public static (int Page, int PageSize) Of(int? page, int? pageSize) => (page ?? 1, pageSize ?? DefaultPageSize);

    /// <summary>A page of a list already in memory (short lists: the catalog, a worklist).</summary>
    public static Page<T> Of<T>(IReadOnlyList<T> all, int? page, int? pageSize)
    {
        var (number, size) = Of(page, pageSize);
        var skip = (number - 1) * size;
        return new Page<T>(all.Skip(skip).Take(size).ToList(), number, size, all.Count, all.Count > skip + size);
    }

    /// <summary>
    /// A page of an ordered database query: one row more than the page tells whether more follow, and the count runs
    /// only on a full first page (a shorter first page is its own total).
    /// </summary>
    public static async Task<Page<T>> PageAsync<T>(this IQueryable<T> ordered, int? page, int? pageSize, CancellationToken ct)
    {
        var (number, size) = Of(page, pageSize);
        var rows = await ordered.Skip((number - 1) * size).Take(size + 1).ToListAsync(ct);
        var more = rows.Count > size;
        if (more) rows = rows.Take(size).ToList();
        long? total = number > 1 ? null : more ? await ordered.CountAsync(ct) : rows.Count;
        return new Page<T>(rows, number, size, total, more);
    }
}
