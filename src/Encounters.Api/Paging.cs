namespace Encounters;

/// <summary>A page of rows of any kind (read auditing looks inside to see whom a page shows).</summary>
public interface IPage
{
    IEnumerable<object> Rows { get; }
}

public record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total) : IPage
{
    IEnumerable<object> IPage.Rows => Items.Cast<object>();
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
        return new Page<T>(all.Skip((number - 1) * size).Take(size).ToList(), number, size, all.Count);
    }
}
