using System.Reflection;
using System.Text.Json;

namespace Encounters;

/// <summary>
/// The values a string field of an answer takes, named by the type that defines them: an enum (its JSON names) or a class of
/// string constants. The API reference declares them as the field's enum, so there is no second list to keep in step.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ApiValuesAttribute(Type source) : Attribute
{
    public IReadOnlyList<string> Values { get; } = source.IsEnum
        ? [.. Enum.GetValues(source).Cast<object>().Select(v => JsonSerializer.Serialize(v, source).Trim('"'))]
        : [.. source.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)];
}
