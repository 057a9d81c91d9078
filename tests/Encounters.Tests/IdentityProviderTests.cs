using Alba;
using Encounters.Security;
using Microsoft.IdentityModel.Tokens;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// The service trusting an OpenID Connect provider (Auth:Authority), as with Keycloak: RS256 tokens checked against the
/// provider's JWKS fetched over HTTP, tokens issued under the provider's public name (Auth:ValidIssuers), and the claim
/// names this deployment configured (Auth:Claims:*).
/// </summary>
public sealed class KeycloakHost : IAsyncLifetime
{
    public IdentityProvider Provider { get; private set; } = null!;
    public IAlbaHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Provider = await IdentityProvider.StartAsync();
        Host = await AppFixture.StartAsync("Production", runsAgents: false, new Dictionary<string, string>
        {
            ["Auth:Authority"] = Provider.Authority,
            ["Auth:ValidIssuers:0"] = IdentityProvider.PublicIssuer,
            // The test provider speaks plain HTTP on loopback; production keeps the https requirement.
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Auth:Claims:Tenant"] = "organisation",
            ["Auth:Claims:Facilities"] = "sites",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public class IdentityProviderTests(KeycloakHost keycloak) : IClassFixture<KeycloakHost>
{
    private readonly string _tenant = TestData.NewTenant();

    private Caller With(string token) => new(keycloak.Host, _tenant, "clinic-1", token);

    /// <summary>A Keycloak access token of this tenant and clinic-1, with the given role claims.</summary>
    private string KeycloakToken(object? realmAccess = null, object? resourceAccess = null, string? issuer = null,
        string audience = "encounters", SecurityKey? signedWith = null)
    {
        var claims = new Dictionary<string, object> { ["organisation"] = _tenant, ["sites"] = new[] { "clinic-1" } };
        if (realmAccess is not null) claims["realm_access"] = realmAccess;
        if (resourceAccess is not null) claims["resource_access"] = resourceAccess;
        return keycloak.Provider.Token(claims, issuer, audience, signedWith);
    }

    /// <summary>Keycloak's shape of a role list: <c>{"roles":[…]}</c>.</summary>
    private static Dictionary<string, object> Roles(params string[] roles) => new() { ["roles"] = roles };

    [Fact]
    public async Task realm_roles_and_the_api_clients_roles_are_our_roles_and_other_clients_roles_are_not()
    {
        var frontDesk = With(KeycloakToken(realmAccess: Roles("receptionist", "offline_access", "default-roles-encounters")));
        await frontDesk.Post("/api/patients", TestData.Patient(), 201);
        await frontDesk.Get("/api/tasks", 403);

        var doctor = With(KeycloakToken(resourceAccess: new Dictionary<string, object> { ["encounters"] = Roles("clinician") }));
        await doctor.Get("/api/tasks", 200);

        // A role of another client (Keycloak's own account client here) grants nothing in this service.
        var elsewhere = With(KeycloakToken(resourceAccess: new Dictionary<string, object> { ["account"] = Roles("clinician") }));
        await elsewhere.Get("/api/tasks", 403);
    }

    [Fact]
    public async Task tokens_signed_by_the_provider_are_accepted_under_its_public_and_its_internal_issuer()
    {
        var nurseRole = Roles("nurse");
        await With(KeycloakToken(nurseRole, issuer: IdentityProvider.PublicIssuer)).Get("/api/tasks", 200);
        await With(KeycloakToken(nurseRole, issuer: keycloak.Provider.Authority)).Get("/api/tasks", 200);
    }

    [Fact]
    public async Task a_token_the_provider_did_not_sign_for_this_service_is_refused()
    {
        var nurseRole = Roles("nurse");
        var stranger = new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "realm-key-1" };
        var refused = new[]
        {
            KeycloakToken(nurseRole, signedWith: stranger),
            KeycloakToken(nurseRole, issuer: "https://id.elsewhere.example/realms/encounters"),
            KeycloakToken(nurseRole, audience: "another-service"),
            // The development key's HS256 tokens mean nothing once an authority is configured.
            DevTokens.Issue(AppFixture.SigningKey, "nina", "Nina", ["nurse"], _tenant, ["clinic-1"], TimeSpan.FromMinutes(5)),
        };
        foreach (var token in refused)
            (await With(token).Get("/api/tasks", 401)).Problem.Code.ShouldBe("auth.unauthenticated");
    }

    [Fact]
    public async Task the_tenant_and_facilities_come_from_the_configured_claims_only()
    {
        // This deployment names them organisation and sites: a token's own "tenant" and "facilities" do not count.
        var token = keycloak.Provider.Token(new()
        {
            ["tenant"] = _tenant, ["facilities"] = new[] { "clinic-1" }, ["realm_access"] = Roles("nurse"),
        });
        (await With(token).Get("/api/tasks", 403)).Problem.Code.ShouldBe("scope.forbidden");
    }
}
