using Microsoft.OpenApi;

namespace Encounters.Observability;

/// <summary>
/// The request headers of the API, described once under <c>components.parameters</c> and referenced by each operation
/// that takes them: the scope headers on every /api call, Idempotency-Key on every POST, If-Match on every command on an
/// existing record.
/// </summary>
public static class OpenApiHeaders
{
    private const string Scope = "^[a-z0-9-]{1,64}$";

    private static readonly Dictionary<string, (string Header, bool Required, string Description, string? Pattern)> Headers = new()
    {
        ["TenantId"] = (ScopeHeaders.Tenant, true, "The tenant (1-64 of a-z, 0-9, '-'); must match the token's tenant claim.", Scope),
        ["FacilityId"] = (ScopeHeaders.Facility, true, "The facility (1-64 of a-z, 0-9, '-'); must be in the token's facilities claim.", Scope),
        ["IdempotencyKey"] = ("Idempotency-Key", false,
            "Repeat a command safely: the same key and body replay the first response; another body with the same key is 422.", null),
        ["IfMatch"] = ("If-Match", false,
            "The version you saw (the ETag of your last read, e.g. \"3\"): a stale one is 412 instead of deciding on a newer state. " +
            "Required (428 without it) where a person confirms what they reviewed: verifying and releasing a lab result.", null),
    };

    public static Task Declare(OpenApiDocument document, Microsoft.AspNetCore.OpenApi.OpenApiDocumentTransformerContext context, CancellationToken _)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        foreach (var (id, header) in Headers)
            document.Components.Parameters[id] = new OpenApiParameter
            {
                Name = header.Header, In = ParameterLocation.Header, Required = header.Required, Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = header.Pattern },
            };
        return Task.CompletedTask;
    }

    public static void Reference(OpenApiOperation operation, OpenApiDocument document, string httpMethod, string route)
    {
        var command = httpMethod is "POST" or "PUT";
        operation.Parameters ??= [];
        foreach (var id in new[] { "TenantId", "FacilityId" }
                     .Concat(httpMethod == "POST" ? ["IdempotencyKey"] : [])
                     .Concat(command && (route.Contains('{') || httpMethod == "PUT") ? ["IfMatch"] : []))
            operation.Parameters.Add(new OpenApiParameterReference(id, document));
    }
}
