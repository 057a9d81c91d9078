namespace Encounters;

/// <summary>How the API spells a value of one of its enums (the JSON name each enum declares): one formatter for the whole app.</summary>
public static class ApiText
{
    public static string Of<T>(T value) where T : struct, Enum => System.Text.Json.JsonSerializer.Serialize(value).Trim('"');
}
