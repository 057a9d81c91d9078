namespace Encounters.Security;

/// <summary>Questions asked of the matrix (kept apart so that <c>Permissions.cs</c> holds the matrix itself).</summary>
public static partial class Permissions
{
    public static bool AnyRoleAllows(System.Security.Claims.ClaimsPrincipal user, string action) =>
        Claims.Roles(user).Any(role => Allows(role, action));

    public static bool Allows(string role, string action) =>
        Matrix.TryGetValue(role, out var actions) && actions.Contains(action);

    public static IEnumerable<string> RolesAllowedTo(string action) =>
        Matrix.Where(entry => entry.Value.Contains(action)).Select(entry => entry.Key);

    public static IEnumerable<string> AllActions => Matrix.Values.SelectMany(a => a).Distinct();
}
