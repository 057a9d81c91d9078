using System.Text.Json.Serialization;

namespace Encounters;

/// <summary>A page of rows of any kind (read auditing looks inside to see whom a page shows).</summary>
public interface IPage
{
    IEnumerable<object> Rows { get; }
}

/// <summary>
/// One page of a list. <c>hasMore</c> says whether another page follows and <c>next</c> is the cursor that reads it
/// (<c>?after=</c>). <c>total</c> (every matching row) is given only when it costs nothing (a first page that is not full,
/// a list kept in memory) or when asked with <c>?count=true</c>: counting reads every matching row.
/// <c>pageNumber</c> is absent on a page read by cursor.
/// </summary>
public record Page<T>(IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? PageNumber, int PageSize,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Total, bool HasMore,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next = null) : IPage
{
    IEnumerable<object> IPage.Rows => Items.Cast<object>();

    public Page<TOut> Select<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), PageNumber, PageSize, Total, HasMore, Next);
}

/// <summary>
/// The one paging rule of every list: pageSize 1..<see cref="MaxPageSize"/>; a list read from the database pages by keyset
/// (<c>after</c>, the <c>next</c> cursor of the page before: the next page starts after that row in the list's own order, so
/// a page costs the same however deep, and rows inserted meanwhile are neither skipped nor repeated). <c>page</c>
/// 1..<see cref="MaxPage"/> still reads by offset; the bounds keep the offset far inside an int.
/// </summary>
public static class Paging
{
    public const int MaxPageSize = 500;
    public const int MaxPage = 100_000;
    public const int DefaultPageSize = 50;

    /// <summary>What the paging parameters mean, for the API reference.</summary>
    public static readonly Dictionary<string, string> Parameters = new()
    {
        ["pageSize"] = $"Rows per page, 1–{MaxPageSize} (default {DefaultPageSize}).",
        ["after"] = "The `next` cursor of the page before: reads the rows after it in the list's order (keyset; a deep page costs what the first does).",
        ["count"] = "true: also count every matching row (`total`). Without it `total` is given only when it costs nothing.",
        ["page"] = $"Page number by offset, 1–{MaxPage}; not with `after`.",
    };

    public static Dictionary<string, string[]> Errors(int? page, int? pageSize, string? after = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage) errors["page"] = [$"Must be between 1 and {MaxPage}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        if (after is not null && Keyset.Decode(after) is null) errors["after"] = ["Not a cursor of this list: use the `next` of this list's page."];
        if (after is not null && page is not null) errors["page"] = ["Give either page or after, not both."];
        return errors;
    }

    /// <summary>The list the request reads (its route), which its cursors are bound to.</summary>
    public static readonly AsyncLocal<string?> List = new();

    /// <summary>Names the list of each request by its route, before its endpoint validates or reads a cursor.</summary>
    public static Task ListOfRequest(HttpContext context, Func<Task> next)
    {
        List.Value = context.GetEndpoint() is RouteEndpoint route ? $"{context.Request.Method} {route.RoutePattern.RawText}" : context.Request.Path;
        return next();
    }

    public static (int Page, int PageSize) Of(int? page, int? pageSize) => (page ?? 1, pageSize ?? DefaultPageSize);

    /// <summary>A page of a list already in memory (short lists: the catalog, a worklist): always with its total.</summary>
    public static Page<T> Of<T>(IReadOnlyList<T> all, int? page, int? pageSize)
    {
        var (number, size) = Of(page, pageSize);
        var skip = (number - 1) * size;
        return new Page<T>(all.Skip(skip).Take(size).ToList(), number, size, all.Count, all.Count > skip + size);
    }

    /// <summary>
    /// A page of an ordered database query: after the cursor when one is given (keyset, in the query's own order with the
    /// id as the last tie-break), else by page number. One row more than the page tells whether more follow; the count
    /// runs only when asked (<paramref name="count"/>), or is free (a first page that is not full is the whole list).
    /// <paramref name="firstPage"/>, when given, reads the first page instead of the query: a compiled query of the same
    /// filter and order (the id last) taking the given number of rows, so the read most callers make parses no LINQ.
    /// </summary>
    public static Task<Page<T>> PageAsync<T>(this IQueryable<T> ordered, int? page, int? pageSize, CancellationToken ct,
        string? after = null, bool? count = null, Func<int, Task<IReadOnlyList<T>>>? firstPage = null) =>
        ordered.PageAsync(rows => rows, page, pageSize, ct, after, count, firstPage);

    /// <summary>The same, answering rows mapped in the query (<paramref name="rows"/>) that keep the sort keys' names.</summary>
    public static async Task<Page<TRow>> PageAsync<T, TRow>(this IQueryable<T> ordered, Func<IQueryable<T>, IQueryable<TRow>> rows,
        int? page, int? pageSize, CancellationToken ct, string? after = null, bool? count = null,
        Func<int, Task<IReadOnlyList<TRow>>>? firstPage = null)
    {
        var (number, size) = Of(page, pageSize);
        var keyset = Keyset.Of(ordered);
        var source = after is null ? keyset.Ordered() : keyset.After(Keyset.Decode(after));
        if (source is null) throw new BadHttpRequestException("Not a cursor of this list: use the `next` of this list's page."); // validated before: never

        var found = after is null && number == 1 && firstPage is not null
            ? (await firstPage(size + 1)).ToList()
            : await rows(after is null ? source.Skip((number - 1) * size) : source).Take(size + 1).ToListAsync(ct);
        var more = found.Count > size;
        if (more) found = found.Take(size).ToList();
        long? total = count == true ? await keyset.Unordered.CountAsync(ct) : after is null && number == 1 && !more ? found.Count : null;
        return new Page<TRow>(found, after is null ? number : null, size, total, more, more ? keyset.CursorOf(found[^1]!) : null);
    }
}
