using Scalar.AspNetCore;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Encounters.Observability;

/// <summary>OpenAPI at /openapi/v1.json (Scalar at /scalar): bearer auth and the two scope headers.</summary>
public static class OpenApi
{
    /// <summary>
    /// The reference for a clinic network: nothing loaded from or sent to another host (no CDN fonts, no telemetry, no AI
    /// agent, no MCP, no hosted client generator), modules in the order a visit flows.
    /// </summary>
    public static Action<Scalar.AspNetCore.ScalarOptions> ConfigureScalar(IHostEnvironment environment) => options =>
    {
        options.Title = "Encounters API";
        options.DisableAgent().DisableMcp().DisableTelemetry().DisableDefaultFonts().HideClientButton().HideDeveloperTools()
            .WithDotNetFlag(false).ShowOperationId();
        options.Theme = Scalar.AspNetCore.ScalarTheme.Default;
    };

    public static void AddEncountersOpenApi(this IServiceCollection services, bool development)
    {
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Encounters API",
                    Version = "v1",
                    Description = "Outpatient encounters and laboratory workflow. Every /api call needs a bearer token and the X-Tenant-ID and " +
                                  "X-Facility-ID headers. Commands take an optional Idempotency-Key (a repeat gets the first answer) and If-Match " +
                                  "(the version you saw; required to verify or release a lab result). Errors are RFC 9457 problem+json with a stable code.",
                };
                if (development)
                    document.Info.Description += "\n\nDevelopment only: `POST /dev/token` with `{\"sub\",\"name\",\"roles\":[…],\"tenant\",\"facilities\":[…]}` " +
                                                 "answers a signed token to paste into Authentication (Bearer).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "A JWT with sub, name, roles, tenant and facilities claims.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
                return Task.CompletedTask;
            });
            // Which roles see a role-shaped field (Security/RoleShapedFields.cs); the values a string field takes (ApiValues.cs).
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(ApiValuesAttribute), true).FirstOrDefault() is ApiValuesAttribute values)
                    schema.Enum = [.. values.Values.Select(v => (System.Text.Json.Nodes.JsonNode)v)];
                if (RoleShapedFields.Describe(context.JsonPropertyInfo?.AttributeProvider as System.Reflection.MemberInfo) is { } shown)
                    schema.Description = string.Join(' ', new[] { schema.Description, shown }.Where(s => !string.IsNullOrEmpty(s)));
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(OpenApiConventions.Apply);
            options.AddDocumentTransformer(OpenApiConventions.OrderTags);
            options.AddSchemaTransformer(OpenApiExamples.DescribeConvertedTypes);
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (!ApiSurface.CoversRoute(context.Description.RelativePath)) return Task.CompletedTask;
                var method = context.Description.HttpMethod ?? "GET";
                OpenApiHeaders.Reference(operation, context.Document!, method, context.Description.RelativePath!);
                // The read audit each GET declares (Audit/ChartReads.cs), for integrators and for the read-audit test.
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<ReadsChartAttribute>().FirstOrDefault() is { } reads)
                    (operation.Extensions ??= new Dictionary<string, IOpenApiExtension>())["x-read-audit"] =
                        new JsonNodeExtension(new System.Text.Json.Nodes.JsonObject { ["resource"] = reads.Resource, ["purpose"] = reads.Purpose });
                else if (metadata.OfType<NoPatientDataAttribute>().Any())
                    (operation.Extensions ??= new Dictionary<string, IOpenApiExtension>())["x-read-audit"] = new JsonNodeExtension("none");
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(OpenApiHeaders.Declare);
            options.AddDocumentTransformer(OpenApiExamples.Add);
        });
    }
}
