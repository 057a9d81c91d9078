using System.Text.Json.Nodes;
using Encounters.Security;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// The demo realm (deploy/keycloak/encounters-realm.json) gives tokens this service accepts: our roles, the tenant and
/// facilities claims, the audience. No Keycloak runs here; what its tokens look like is tested in IdentityProviderTests.
/// </summary>
public class KeycloakRealmTests
{
    private static readonly JsonNode Realm = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "keycloak", "encounters-realm.json")))!;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Encounters.sln"))) return dir.FullName;
        throw new InvalidOperationException("Encounters.sln not found above the test binaries.");
    }

    private static IEnumerable<JsonNode> Items(JsonNode? array) => array?.AsArray().Select(n => n!) ?? [];

    [Fact]
    public void every_role_of_the_service_is_a_realm_role()
    {
        Items(Realm["roles"]!["realm"]).Select(r => r["name"]!.ToString()).Order()
            .ShouldBe(Roles.All.Order());
    }

    [Fact]
    public void the_sign_in_client_maps_tenant_facilities_roles_and_the_audience_into_the_access_token()
    {
        var client = Items(Realm["clients"]).Single(c => c["clientId"]!.ToString() == "encounters-web");
        var mappers = Items(client["protocolMappers"]).ToDictionary(m => m["name"]!.ToString(), m => m["config"]!);
        mappers["tenant"]["claim.name"]!.ToString().ShouldBe(Claims.Tenant);
        mappers["facilities"]["claim.name"]!.ToString().ShouldBe(Claims.Facility);
        mappers["facilities"]["multivalued"]!.ToString().ShouldBe("true");
        mappers["audience encounters"]["included.client.audience"]!.ToString().ShouldBe(DevTokens.Audience);
        mappers["realm roles"]["claim.name"]!.ToString().ShouldBe("realm_access.roles");
        mappers["encounters client roles"]["claim.name"]!.ToString().ShouldBe("resource_access.${client_id}.roles");
        foreach (var mapper in mappers.Values) mapper["access.token.claim"]!.ToString().ShouldBe("true");
    }

    [Fact]
    public void every_demo_user_has_a_known_role_a_tenant_and_facilities()
    {
        foreach (var user in Items(Realm["users"]))
        {
            var roles = Items(user["realmRoles"]).Concat(Items(user["clientRoles"]?["encounters"])).Select(r => r.ToString()).ToList();
            roles.ShouldNotBeEmpty(user["username"]!.ToString());
            roles.ShouldAllBe(r => Roles.All.Contains(r));
            Items(user["attributes"]!["tenant"]).Count().ShouldBe(1);
            Items(user["attributes"]!["facilities"]).ShouldNotBeEmpty();
        }
    }
}
