using Microsoft.AspNetCore.Diagnostics;

namespace Encounters.Observability;

/// <summary>
/// Counts every command (POST/PUT under /api) by its endpoint's name and outcome once the response is decided,
/// whichever layer decided it: authentication, scope, validation, the command itself, or a failure.
/// </summary>
public sealed class CommandOutcomes(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) && !HttpMethods.IsPut(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/api"))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            // The endpoint's Name (e.g. ReleaseResult), as in the API reference. The exception handler (inside this
            // middleware) clears the endpoint to write its problem, and keeps it in its feature.
            var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var command = endpoint?.Metadata.GetMetadata<WolverineHttpMethodAttribute>()?.Name ?? "unknown";
            BusinessMetrics.Commands.Add(1, new("command", command), new("outcome", BusinessMetrics.Outcome(context.Response.StatusCode)));
        }
    }
}
