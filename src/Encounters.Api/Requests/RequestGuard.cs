using Microsoft.AspNetCore.Http.Features;

namespace Encounters.Requests;

/// <summary>
/// The checks every /api and /fhir request gets before any endpoint sees it, so no endpoint has to repeat them:
/// an oversized body is 413; control characters in the path, a query value or a header, an overlong
/// query value, or a malformed <c>Idempotency-Key</c> are 400 with the offending part named; an all-zero
/// id in the route is 404 (no record has it, and loading a stream by it fails).
/// </summary>
public sealed class RequestGuard(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var refusal = ApiSurface.Covers(context.Request.Path) ? await RefusalAsync(context) : null;
        if (refusal is null) await next(context);
        else await Problems.WriteAsync(context, problems, refusal);
    }

    private static async Task<ProblemDetails?> RefusalAsync(HttpContext context)
    {
        if (context.Request.ContentLength > Limits.MaxBodyBytes)
            return new ProblemDetails
            {
                Status = 413, Title = "The request body is too large.", Detail = $"At most {Limits.MaxBodyBytes} bytes.",
                Extensions = { ["code"] = "request.too_large" },
            };
        // A body without a Content-Length (chunked) is cut off at the same size by the server while it is read.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = Limits.MaxBodyBytes;

        var errors = Errors(context);
        if (errors.Count == 0 && await IsJsonNull(context.Request)) errors["body"] = ["A JSON object is required."];
        if (errors.Count > 0) return Problems.Validation(errors);

        return context.Request.RouteValues.Values.Any(v => Guid.TryParse(v as string, out var id) && id == Guid.Empty)
            ? Problems.NotFound("Resource")
            : null;
    }

    private static Dictionary<string, string[]> Errors(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        if (StrictJson.HasControlCharacters(context.Request.Path.Value)) errors["path"] = ["Control characters are not allowed."];
        foreach (var (name, values) in context.Request.Query)
            foreach (var value in values)
            {
                if (StrictJson.HasControlCharacters(name) || StrictJson.HasControlCharacters(value))
                    errors[Printable(name)] = ["Control characters are not allowed."];
                else if (value?.Length > (name == "after" ? Limits.MaxCursor : Limits.MaxQueryValue))
                    errors[name] = [$"At most {(name == "after" ? Limits.MaxCursor : Limits.MaxQueryValue)} characters."];
            }
        foreach (var (name, values) in context.Request.Headers)
            if (values.Any(v => StrictJson.HasControlCharacters(v.AsSpan())))
                errors[name] = ["Control characters are not allowed."];
        if (IdempotencyKeys.Error(context.Request) is { } keyError) errors[IdempotencyKeys.Header] = [keyError];
        return errors;
    }

    /// <summary>
    /// A body that is JSON <c>null</c>. Refused here, before Wolverine: some endpoints read ids from the body to
    /// load streams in a batch that runs ahead of any middleware. Only the first few bytes are ever looked at.
    /// </summary>
    private static async Task<bool> IsJsonNull(HttpRequest request)
    {
        if (request.ContentLength is > 32 or 0 || !HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method)) return false;
        request.EnableBuffering();
        var buffer = new byte[33];
        var read = 0;
        for (int n; read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read))) > 0;) read += n;
        request.Body.Position = 0;
        return read < buffer.Length && System.Text.Encoding.UTF8.GetString(buffer, 0, read).Trim() == "null";
    }

    private static string Printable(string name) => StrictJson.HasControlCharacters(name) ? "query" : name;
}
