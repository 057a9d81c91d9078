using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Encounters.Security;

/// <summary>
/// JWT bearer authentication. Production validates RS256 tokens from an OpenID Connect authority
/// (<c>Auth:Authority</c>); development and tests sign with a symmetric key (<c>Auth:SigningKey</c>).
/// </summary>
public static class Authentication
{
    public static void AddSecurity(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        var authority = auth["Authority"];
        var signingKey = auth["SigningKey"];
        if (string.IsNullOrEmpty(authority) && string.IsNullOrEmpty(signingKey))
            throw new InvalidOperationException("Configure Auth:Authority (OpenID Connect) or Auth:SigningKey (development).");

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                // The identity's name is who acts where (Claims.ActingAs): Wolverine scopes idempotency keys by it.
                NameClaimType = Claims.ActingAs,
                RoleClaimType = Claims.Role,
                ValidAudience = auth["Audience"] ?? DevTokens.Audience,
                ValidateAudience = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            if (!string.IsNullOrEmpty(authority))
            {
                options.Authority = authority;
                options.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
                options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
            }
            else
            {
                options.TokenValidationParameters.ValidIssuer = auth["Issuer"] ?? DevTokens.Issuer;
                options.TokenValidationParameters.IssuerSigningKey = DevTokens.Key(signingKey!);
                options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }

            var clientId = auth["ClientId"];
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = ctx =>
                {
                    if (ctx.Principal?.Identity is not ClaimsIdentity identity) return Task.CompletedTask;
                    AddKeycloakRoles(identity, clientId);
                    identity.AddClaim(new Claim(Claims.ActingAs,
                        $"{identity.FindFirst(Claims.Subject)?.Value}@{ctx.Request.Headers[ScopeHeaders.Facility]}"));
                    return Task.CompletedTask;
                },
                // The scope middleware answers a missing or bad token with problem+json.
                OnChallenge = ctx => Task.CompletedTask,
            };
        });

        builder.Services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ActionAuthorization>();
        builder.Services.AddAuthorization(options =>
        {
            foreach (var action in Permissions.AllActions)
                options.AddPolicy(action, policy => policy.AddRequirements(new ActionRequirement(action)));
        });
    }

    /// <summary>Keycloak puts roles in realm_access.roles and resource_access.{client}.roles.</summary>
    private static void AddKeycloakRoles(ClaimsIdentity identity, string? clientId)
    {
        var roles = new List<string>();
        if (identity.FindFirst("realm_access")?.Value is { } realm) roles.AddRange(RolesIn(realm));
        if (clientId is not null && identity.FindFirst("resource_access")?.Value is { } resource)
        {
            using var doc = JsonDocument.Parse(resource);
            if (doc.RootElement.TryGetProperty(clientId, out var client)) roles.AddRange(RolesIn(client.GetRawText()));
        }

        foreach (var role in roles.Where(r => !identity.HasClaim(Claims.Role, r)))
            identity.AddClaim(new Claim(Claims.Role, role));
    }

    private static IEnumerable<string> RolesIn(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
            ? roles.EnumerateArray().Select(r => r.GetString() ?? "").Where(r => r != "").ToList()
            : [];
    }
}
