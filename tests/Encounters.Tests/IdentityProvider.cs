using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Encounters.Tests;

/// <summary>
/// A stand-in OpenID Connect provider on a real loopback port: discovery document and JWKS, RS256 tokens shaped like
/// Keycloak's. The service under test fetches both over HTTP as it would from Keycloak.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "realm-key-1" };

    private IdentityProvider(WebApplication web) => _web = web;

    /// <summary>Where the service fetches metadata (as inside compose: http://keycloak:8080/realms/encounters).</summary>
    public string Authority { get; private set; } = "";

    /// <summary>The issuer users see (the public name of the provider), configured in Auth:ValidIssuers.</summary>
    public const string PublicIssuer = "https://id.clinic.example/realms/encounters";

    public static async Task<IdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var provider = new IdentityProvider(builder.Build());
        await provider.ServeAsync();
        return provider;
    }

    private async Task ServeAsync()
    {
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId });
        _web.MapGet("/realms/encounters/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = $"{Authority}/protocol/openid-connect/certs",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _web.MapGet("/realms/encounters/protocol/openid-connect/certs", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[] { new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E } },
        }));
        await _web.StartAsync();
        var address = _web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Authority = $"{address}/realms/encounters";
    }

    /// <summary>An access token as Keycloak issues it; <paramref name="claims"/> add to or replace the defaults.</summary>
    public string Token(Dictionary<string, object> claims, string? issuer = null, string audience = "encounters", SecurityKey? signedWith = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(signedWith ?? _key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "kc-user", ["name"] = "Keycloak user" }
                .Concat(claims).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        });

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
