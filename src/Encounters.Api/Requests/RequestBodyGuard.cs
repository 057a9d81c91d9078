using System.Reflection;
using System.Text.Json;

namespace Encounters.Requests;

/// <summary>
/// Wolverine middleware on every endpoint that reads a JSON body, run before its stream loads and its
/// Validate: a JSON <c>null</c> body is 400 (no Validate has to expect a null command), and so is an id
/// field left empty (missing, or all zeros), which names no record and cannot load a stream.
/// </summary>
public static class RequestBodyGuard
{
    public static ProblemDetails Before(object? body)
    {
        if (body is null)
            return Problems.Validation(new() { ["body"] = ["A JSON object is required."] });

        var errors = new Dictionary<string, string[]>();
        foreach (var property in IdProperties(body.GetType()))
            if (property.GetValue(body) is Guid id && id == Guid.Empty)
                errors[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = ["Required: the id of a record, not all zeros."];
        return Problems.Validation(errors);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, PropertyInfo[]> Ids = new();

    private static PropertyInfo[] IdProperties(Type type) =>
        Ids.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(Guid) || p.PropertyType == typeof(Guid?)).ToArray());
}
