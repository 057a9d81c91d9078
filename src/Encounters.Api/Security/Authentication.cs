using System.Security.Claims;
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
                // The provider's discovery document as this node reaches it (e.g. http://keycloak:8080/... inside compose),
                // and the issuers its tokens carry as users reach it (e.g. https://id.example.org/realms/encounters).
                if (!string.IsNullOrWhiteSpace(auth["MetadataAddress"])) options.MetadataAddress = auth["MetadataAddress"]!;
                options.RequireHttpsMetadata = auth.GetValue("RequireHttpsMetadata", !builder.Environment.IsDevelopment());
                options.TokenValidationParameters.ValidIssuers = auth.GetSection("ValidIssuers").Get<string[]>()?
                    .Where(i => !string.IsNullOrWhiteSpace(i)).ToArray() is { Length: > 0 } issuers ? issuers : null;
                options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
            }
            else
            {
                options.TokenValidationParameters.ValidIssuer = auth["Issuer"] ?? DevTokens.Issuer;
                options.TokenValidationParameters.IssuerSigningKey = DevTokens.Key(signingKey!);
                options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }

            var claims = TokenClaims.From(auth);
            options.Events = new JwtBearerEvents
            {
                OnTokenValidated = ctx =>
                {
                    if (ctx.Principal?.Identity is not ClaimsIdentity identity) return Task.CompletedTask;
                    claims.Apply(identity);
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
}
