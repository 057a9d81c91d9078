using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Encounters.Security;

/// <summary>
/// A field of a read model that only some roles see (minimum necessary): the <paramref name="action"/> it needs is
/// granted by the permission matrix, like any endpoint's. Others get the resource without the field.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class VisibleToAttribute(string action) : Attribute
{
    public string Action => action;
}

/// <summary>
/// Shapes every JSON response by the reader's roles, in one place: a property marked <see cref="VisibleToAttribute"/>
/// is left out unless one of the reader's roles is granted its action. The OpenAPI document names the roles.
/// </summary>
public static class RoleShapedFields
{
    private static IHttpContextAccessor? _http;

    public static void Configure(JsonSerializerOptions options, IHttpContextAccessor http)
    {
        _http = http;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Shape);
    }

    private static void Shape(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
            if (property.AttributeProvider?.GetCustomAttributes(typeof(VisibleToAttribute), true).FirstOrDefault() is VisibleToAttribute visible)
                property.ShouldSerialize = (_, _) => ReaderMay(visible.Action);
    }

    /// <summary>Outside a request (Marten, messages) nothing is hidden; inside one, the reader's roles decide.</summary>
    private static bool ReaderMay(string action) =>
        _http?.HttpContext?.User is not { Identity.IsAuthenticated: true } user || Permissions.AnyRoleAllows(user, action);

    /// <summary>Who sees a field, for the API reference.</summary>
    public static string? Describe(MemberInfo? member) =>
        member?.GetCustomAttribute<VisibleToAttribute>() is { } visible
            ? $"Shown only to: {string.Join(", ", Permissions.RolesAllowedTo(visible.Action))}."
            : null;
}
