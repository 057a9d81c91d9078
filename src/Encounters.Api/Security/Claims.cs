using System.Security.Claims;

namespace Encounters.Security;

/// <summary>The token claims the service reads (Keycloak-style).</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "roles";
    public const string Tenant = "tenant";
    public const string Facility = "facilities";

    /// <summary>Added on sign-in, never read from a token: the user (sub) in the facility of this request.</summary>
    public const string ActingAs = "encounters:acting_as";

    /// <summary>Facilities granted by the token: a JSON array, or one space/comma separated string.</summary>
    public static HashSet<string> Facilities(ClaimsPrincipal user) =>
        user.FindAll(Facility)
            .SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet();

    public static List<string> Roles(ClaimsPrincipal user) =>
        user.FindAll(Role).Select(c => c.Value).Distinct().ToList();
}
