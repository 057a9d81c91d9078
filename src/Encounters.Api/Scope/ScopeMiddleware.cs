
namespace Encounters.Scope;

/// <summary>
/// Every /api and /fhir request must name its tenant and facility (400), carry a token (401) and be covered by
/// that token's tenant and facilities claims (403). Role checks follow in ASP.NET authorization.
/// </summary>
public sealed class ScopeMiddleware(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!ApiSurface.Covers(context.Request.Path))
        {
            await next(context);
            return;
        }

        var tenant = context.Request.Headers[ScopeHeaders.Tenant].ToString();
        var facility = context.Request.Headers[ScopeHeaders.Facility].ToString();

        var errors = new Dictionary<string, string[]>();
        if (!ScopeHeaders.IsValid(tenant))
            errors[ScopeHeaders.Tenant] = [Describe(tenant)];
        if (!ScopeHeaders.IsValid(facility))
            errors[ScopeHeaders.Facility] = [Describe(facility)];

        if (errors.Count > 0)
        {
            await Write(context, new Microsoft.AspNetCore.Mvc.ValidationProblemDetails(errors)
            {
                Status = 400, Title = "The request scope is missing or malformed.", Extensions = { ["code"] = "scope.invalid" }
            });
            return;
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Write(context, new() { Status = 401, Title = "A bearer token is required.", Extensions = { ["code"] = "auth.unauthenticated" } });
            return;
        }

        if (context.User.FindFirst(Claims.Tenant)?.Value != tenant || !Claims.Facilities(context.User).Contains(facility))
        {
            await Write(context, new()
            {
                Status = 403, Title = "The token does not cover this tenant and facility.",
                Extensions = { ["code"] = "scope.forbidden" }
            });
            return;
        }

        await next(context);
    }

    private static string Describe(string value) => string.IsNullOrEmpty(value)
        ? "The header is required."
        : "Must be 1-64 characters of a-z, 0-9 and '-'.";

    private Task Write(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem) => Problems.WriteAsync(context, problems, problem);
}
