using System.Text.Json;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Encounters;

/// <summary>RFC 9457 problem details: how every refusal and error leaves the service.</summary>
public static class Problems
{
    public static void AddEncountersProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            problem.Instance ??= ctx.HttpContext.Request.Path;
            problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString()
                                            ?? ctx.HttpContext.TraceIdentifier;
            if (!problem.Extensions.ContainsKey("code")) DescribeFrameworkProblem(problem);
        });
        services.AddExceptionHandler<ExceptionToProblem>();
    }

    /// <summary>
    /// Gives the problems written by the framework (Wolverine's idempotency refusals and JSON binding,
    /// ASP.NET's status pages) the same stable <c>code</c> and per-field <c>errors</c> as our own.
    /// </summary>
    private static void DescribeFrameworkProblem(ProblemDetails problem)
    {
        var detail = problem.Detail ?? "";
        problem.Extensions["code"] = problem.Status switch
        {
            422 when detail.Contains("Idempotency-Key") => "idempotency.key_reuse",
            409 when detail.Contains("Idempotency-Key") => "idempotency.in_progress",
            400 when problem.Title == "Invalid JSON format" => "validation",
            413 => "request.too_large",
            400 => "validation",
            401 => "auth.unauthenticated",
            403 => "auth.forbidden",
            404 => "not_found",
            405 => "method_not_allowed",
            _ => $"http.{problem.Status}",
        };

        if (problem.Title == "Invalid JSON format" && !problem.Extensions.ContainsKey("errors"))
        {
            // "... Path: $.sex | LineNumber ..." → errors["sex"]
            var match = System.Text.RegularExpressions.Regex.Match(detail, @"Path: \$\.?([^ |]*)");
            var field = match.Success && match.Groups[1].Value != "" ? match.Groups[1].Value : "body";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = ["Malformed, of the wrong type, too long or too many items (see Limits), or holding control characters."] };
        }
    }

    /// <summary>400 with per-field errors, or null (Wolverine's "no problems") when there are none.</summary>
    public static ProblemDetails Validation(Dictionary<string, string[]> errors) =>
        errors.Count == 0
            ? Wolverine.Http.WolverineContinue.NoProblems
            : new ValidationProblemDetails(errors)
            {
                Status = 400, Title = "The request is invalid.", Extensions = { ["code"] = "validation" }
            };

    /// <summary>Writes a problem from ASP.NET middleware (outside Wolverine), with its status.</summary>
    public static async Task WriteAsync(HttpContext context, IProblemDetailsService problems, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    public static ProblemDetails NotFound(string what) =>
        new() { Status = 404, Title = $"{what} not found.", Extensions = { ["code"] = "not_found" } };

    public static ProblemDetails Conflict(string code, string detail, object? extra = null)
    {
        var problem = new ProblemDetails { Status = 409, Title = "The request conflicts with the current state.", Detail = detail };
        problem.Extensions["code"] = code;
        if (extra is not null)
            foreach (var property in extra.GetType().GetProperties())
                problem.Extensions[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = property.GetValue(extra);
        return problem;
    }

    /// <summary>412: the If-Match version is stale (the current one, when known, is included).</summary>
    public static ProblemDetails PreconditionFailed(long? current)
    {
        var problem = new ProblemDetails
        {
            Status = 412, Title = "The resource has changed.",
            Detail = current is null ? "Another change was saved after the version in If-Match." : $"If-Match did not match the current version {current}.",
            Extensions = { ["code"] = "concurrency.precondition_failed" }
        };
        if (current is not null) problem.Extensions["currentVersion"] = current;
        return problem;
    }

    /// <summary>428: the decision must name the version the person reviewed (If-Match), and did not.</summary>
    public static ProblemDetails PreconditionRequired(long current) => new()
    {
        Status = 428, Title = "If-Match is required.",
        Detail = $"Name the version you reviewed in If-Match; the current version is {current}.",
        Extensions = { ["code"] = "concurrency.version_required", ["currentVersion"] = current }
    };

    /// <summary>Maps the exceptions that are really answers (bad JSON, lost races, unique keys) to 4xx.</summary>
    private sealed class ExceptionToProblem(IProblemDetailsService problems, ILogger<ExceptionToProblem> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            var problem = Map(context, exception);
            if (problem is null)
            {
                logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                problem = new ProblemDetails { Status = 500, Title = "An unexpected error occurred." };
            }

            context.Response.StatusCode = problem.Status!.Value;
            if (problem.Status == 503) Observability.DatabaseOutage.AddRetryAfter(context.Response);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context, ProblemDetails = problem, Exception = exception
            });
        }

        private static ProblemDetails? Map(HttpContext context, Exception exception)
        {
            if (Observability.DatabaseOutage.Is(exception)) return Observability.DatabaseOutage.Problem();
            for (var e = exception; e is not null; e = e.InnerException)
            {
                switch (e)
                {
                    case BadHttpRequestException { StatusCode: 413 }:
                        return new ProblemDetails
                        {
                            Status = 413, Title = "The request body is too large.", Extensions = { ["code"] = "request.too_large" }
                        };

                    case JsonException or BadHttpRequestException:
                        return new ValidationProblemDetails(new Dictionary<string, string[]>
                        {
                            ["body"] = [e is JsonException json ? $"Malformed JSON: {json.Message}" : e.Message]
                        }) { Status = 400, Title = "The request is invalid.", Extensions = { ["code"] = "validation" } };

                    case ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException:
                        // With If-Match the client asked for a precondition; without it another writer won the race.
                        return context.Request.Headers.IfMatch.Count > 0
                            ? PreconditionFailed(null)
                            : Conflict("concurrency.conflict", "Another change to this resource was saved first; reload and retry.");

                    case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique:
                        return Conflict("conflict.duplicate", UniqueViolationMessage(unique));
                }
            }

            return null;
        }

        private static string UniqueViolationMessage(PostgresException e) =>
            e.ConstraintName?.Contains("mrn", StringComparison.OrdinalIgnoreCase) == true
                ? "A patient with this MRN already exists in this tenant."
                : "A record with the same unique value already exists.";
    }
}
