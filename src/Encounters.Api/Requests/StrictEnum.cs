namespace Encounters.Requests;

/// <summary>
/// Enum values from text, strictly: one member's name (any case). <c>Enum.TryParse</c> also takes numbers
/// and comma lists ("objective,assessment"), which are never a single valid value here.
/// </summary>
public static class StrictEnum
{
    public static bool TryParse<T>(string? value, out T result) where T : struct, Enum
    {
        foreach (var name in Enum.GetNames<T>())
            if (string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            {
                result = Enum.Parse<T>(name);
                return true;
            }
        result = default;
        return false;
    }
}
