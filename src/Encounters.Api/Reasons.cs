namespace Encounters;

/// <summary>A reason a person gives for a correction, cancellation or override: required and bounded.</summary>
public static class Reasons
{
    public const int MaxLength = 1000;

    public static Dictionary<string, string[]> Errors(string? reason, string field = "reason") =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > MaxLength
            ? new() { [field] = [$"Required, at most {MaxLength} characters."] }
            : [];

    /// <summary>A reason the person may leave out (stepping out, leaving unseen): bounded when given.</summary>
    public static Dictionary<string, string[]> Optional(string? reason, string field = "reason") =>
        reason is { Length: > MaxLength } ? new() { [field] = [$"At most {MaxLength} characters."] } : [];
}
