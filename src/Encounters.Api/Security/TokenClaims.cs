using System.Security.Claims;
using System.Text.Json;

namespace Encounters.Security;

/// <summary>
/// Where an identity provider puts the tenant, facilities and roles (<c>Auth:Claims:*</c>). After sign-in they are
/// rewritten under the names the rest of the service reads (<see cref="Claims"/>), so no other code knows the provider.
/// </summary>
/// <param name="RealmRoles">Keycloak's realm roles claim (<c>{"roles":[…]}</c>); empty to ignore realm roles.</param>
/// <param name="ClientRoles">Keycloak's client roles claim (<c>{"&lt;client&gt;":{"roles":[…]}}</c>), read for <paramref name="ClientId"/> only.</param>
public sealed record TokenClaims(string Tenant, string Facilities, string Roles, string RealmRoles, string ClientRoles, string ClientId)
{
    public static TokenClaims From(IConfiguration auth) => new(
        Setting(auth, "Claims:Tenant") ?? Claims.Tenant,
        Setting(auth, "Claims:Facilities") ?? Claims.Facility,
        Setting(auth, "Claims:Roles") ?? Claims.Role,
        auth["Claims:RealmRoles"] ?? "realm_access",
        auth["Claims:ClientRoles"] ?? "resource_access",
        // Keycloak's client roles of the API's own client: by default the client is the audience.
        Setting(auth, "ClientId") ?? Setting(auth, "Audience") ?? DevTokens.Audience);

    private static string? Setting(IConfiguration auth, string key) => string.IsNullOrWhiteSpace(auth[key]) ? null : auth[key];

    public void Apply(ClaimsIdentity identity)
    {
        Rename(identity, Tenant, Claims.Tenant);
        Rename(identity, Facilities, Claims.Facility);
        Rename(identity, Roles, Claims.Role);
        var roles = new List<string>();
        if (RealmRoles != "" && identity.FindFirst(RealmRoles)?.Value is { } realm) roles.AddRange(RolesIn(realm));
        if (ClientRoles != "" && identity.FindFirst(ClientRoles)?.Value is { } resource)
        {
            using var doc = Parse(resource);
            if (doc?.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(ClientId, out var client))
                roles.AddRange(RolesIn(client.GetRawText()));
        }

        foreach (var role in roles.Distinct().Where(r => !identity.HasClaim(Claims.Role, r)))
            identity.AddClaim(new Claim(Claims.Role, role));
    }

    /// <summary>
    /// The provider's claim becomes ours. A claim that already carries our name is dropped first: with a renamed tenant
    /// claim, a token's own <c>tenant</c> must not count (the provider may let users set it).
    /// </summary>
    private static void Rename(ClaimsIdentity identity, string from, string to)
    {
        if (from == to) return;
        foreach (var claim in identity.FindAll(to).ToList()) identity.RemoveClaim(claim);
        foreach (var claim in identity.FindAll(from).ToList()) identity.AddClaim(new Claim(to, claim.Value));
    }

    private static List<string> RolesIn(string json)
    {
        using var doc = Parse(json);
        return doc is not null && doc.RootElement.ValueKind == JsonValueKind.Object
               && doc.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
            ? roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).Where(r => r != "").ToList()
            : [];
    }

    private static JsonDocument? Parse(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }
}
