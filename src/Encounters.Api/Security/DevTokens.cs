using System.Text;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Encounters.Security;

/// <summary>
/// <c>POST /dev/token</c>: signs a token with the development key. Mapped only when the environment
/// is Development; the route does not exist anywhere else.
/// </summary>
public static class DevTokens
{
    public const string Issuer = "encounters-dev";
    public const string Audience = "encounters";

    public record TokenRequest(string? Sub, string? Name, string[]? Roles, string? Tenant, string[]? Facilities);

    public record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    public static SymmetricSecurityKey Key(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    public static void MapDevToken(this WebApplication app)
    {
        app.MapPost("/dev/token", (TokenRequest request, IConfiguration configuration) =>
            {
                var errors = new Dictionary<string, string[]>();
                if (string.IsNullOrWhiteSpace(request.Sub)) errors["sub"] = ["Required."];
                if (string.IsNullOrWhiteSpace(request.Tenant)) errors["tenant"] = ["Required."];
                if (request.Roles is not { Length: > 0 }) errors["roles"] = ["At least one role."];
                else if (request.Roles.Except(Security.Roles.All).ToArray() is { Length: > 0 } unknown)
                    errors["roles"] = [$"Unknown roles: {string.Join(", ", unknown)}. Known: {string.Join(", ", Security.Roles.All)}."];
                if (request.Facilities is not { Length: > 0 }) errors["facilities"] = ["At least one facility."];
                if (errors.Count > 0) return Results.ValidationProblem(errors);

                var token = Issue(configuration["Auth:SigningKey"]!, request.Sub!, request.Name ?? request.Sub!,
                    request.Roles!, request.Tenant!, request.Facilities!, TimeSpan.FromHours(1));
                return Results.Ok(new TokenResponse(token, "Bearer", 3600));
            })
            .ExcludeFromDescription()
            .AllowAnonymous();
    }

    public static string Issue(string signingKey, string sub, string name, string[] roles, string tenant,
        string[] facilities, TimeSpan lifetime, string issuer = Issuer, string audience = Audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Expires = DateTime.UtcNow.Add(lifetime),
            SigningCredentials = new SigningCredentials(Key(signingKey), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [Claims.Subject] = sub,
                [Claims.Name] = name,
                [Claims.Role] = roles,
                [Claims.Tenant] = tenant,
                [Claims.Facility] = facilities,
            },
        });
}
