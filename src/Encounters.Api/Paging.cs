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

public static class Paging
{
    public const int MaxPageSize = 500;

    public static Dictionary<string, string[]> Errors(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1) errors["page"] = ["Must be 1 or more."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        return errors;
    }

    public static (int Page, int PageSize) Of(int? page, int? pageSize) => (page ?? 1, pageSize ?? 50);
}
