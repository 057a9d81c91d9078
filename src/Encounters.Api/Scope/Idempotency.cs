using JasperFx;
using JasperFx.CodeGeneration;

namespace Encounters.Scope;

/// <summary>
/// Every command (POST) is idempotent under an <c>Idempotency-Key</c> header: a repeat of the same request gets the
/// first response again, the same key with another request gets 422. A key belongs to one tenant, facility, user,
/// method and route (the identity's name is the user in the request's facility, see <see cref="Claims.ActingAs"/>),
/// so someone else's key is an ordinary new request and never replays their response. This is Wolverine's
/// <c>[DeduplicatedWithResponse]</c>, stored in PostgreSQL, so it holds across nodes and restarts.
/// </summary>
public sealed class IdempotencyPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HttpMethods.Contains("POST") && c.RoutePattern!.RawText!.StartsWith("/api")))
        {
            chain.DeduplicatedWithResponse = new DeduplicatedWithResponseRequirement
            {
                Scope = DeduplicationScope.Tenant | DeduplicationScope.User | DeduplicationScope.Endpoint,
                Required = false,
            };
        }
    }
}

public static class HttpChainExtensions
{
    public static bool IsWrite(this HttpChain chain) =>
        chain.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH" or "DELETE");
}
