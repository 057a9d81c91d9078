using System.Reflection;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Encounters.Observability;

/// <summary>
/// What makes the API reference readable, derived from the code so it cannot drift: the module's tag (from the
/// endpoint's namespace), a human operation id (from the endpoint's Name), the summary (from its XML doc comment),
/// and the problem responses every operation of its kind can give.
/// </summary>
public static class OpenApiConventions
{
    /// <summary>Modules in the order a visit flows; an unlisted module is appended by name.</summary>
    public static readonly string[] Tags =
        ["Patients", "Scheduling", "Encounters", "Orders/Lab", "Imaging", "Medications", "Tasks", "Timeline", "Billing", "Audit", "Admin", "FHIR"];

    private static readonly Lazy<Dictionary<string, string>> Summaries = new(LoadSummaries);

    public static Task Apply(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        if (context.Description.ActionDescriptor is not ControllerActionDescriptor { MethodInfo: var method }) return Task.CompletedTask;
        var route = context.Description.RelativePath ?? "";
        operation.Tags = new HashSet<OpenApiTagReference> { new(TagOf(method, route), context.Document) };
        // The endpoint's Name (e.g. GetEncounterTimeline): the id getEncounterTimeline, the title "Get encounter timeline";
        // its XML doc comment is the description.
        if (method.GetCustomAttribute<WolverineHttpMethodAttribute>()?.Name is { Length: > 0 } name)
        {
            operation.OperationId = char.ToLowerInvariant(name[0]) + name[1..];
            operation.Summary = Humanize(name);
        }
        operation.Description = SummaryOf(method) ?? operation.Description;
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            if (parameter.In == ParameterLocation.Query && Paging.Parameters.TryGetValue(parameter.Name ?? "", out var meaning))
                parameter.Description = meaning;
        // A record named in the route, or by id in the body, may not exist in this tenant and facility.
        var namesRecord = route.Contains('{') || context.Description.ParameterDescriptions.Any(p =>
            p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Body &&
            p.Type.GetProperties().Any(property => (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(Guid)));
        if (ApiSurface.CoversRoute(route))
            DeclareProblems(operation, context.Description.HttpMethod ?? "GET", namesRecord, method.DeclaringType!,
                ApiSurface.IsFhir(route) ? "application/fhir+json" : "application/problem+json");
        return Task.CompletedTask;
    }

    /// <summary>RegisterPatient → "Register patient".</summary>
    public static string Humanize(string name) =>
        name[0] + string.Concat(name[1..].Select(c => char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>The document's tags: the modules that have operations, in the order a visit flows.</summary>
    public static Task OrderTags(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken _)
    {
        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags?.AsEnumerable() ?? []).Select(t => t.Name).OfType<string>().ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(Tags.Where(used.Contains).Concat(used.Where(t => !Tags.Contains(t)).Order())
            .Select(tag => new OpenApiTag { Name = tag }));
        return Task.CompletedTask;
    }

    public static string TagOf(MethodInfo method, string route)
    {
        if (route.StartsWith("api/admin/")) return "Admin";
        var module = method.DeclaringType?.Namespace?.Split('.').Last() ?? "";
        return module switch
        {
            "Orders" or "Lab" => "Orders/Lab",
            "Chart" => "Encounters",
            "Observability" or "Security" or "Scope" => "Admin",
            "Fhir" => "FHIR",
            _ => module,
        };
    }

    /// <summary>
    /// The problem answers an operation can give, by what it is: each with its stable codes. The FHIR API gives the same
    /// answers as OperationOutcomes (application/fhir+json), the code in the details.
    /// </summary>
    private static void DeclareProblems(OpenApiOperation operation, string httpMethod, bool namesRecord, Type endpoint, string mediaType)
    {
        operation.Responses ??= new OpenApiResponses();
        // Each answer's description and its schema's `code` enum name the same stable codes (Problems.cs).
        void Problem(string status, IReadOnlyCollection<string> codes, string meaning) =>
            operation.Responses[status] = new OpenApiResponse
            {
                Description = string.Join(", ", codes.Select(c => $"`{c}`")) + ": " + meaning,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [mediaType] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = codes.Select(c => (System.Text.Json.Nodes.JsonNode)c).ToList() },
                            },
                        },
                    },
                },
            };

        Problem("400", ["validation", "scope.invalid"], "invalid body or query (per-field `errors`), or tenant/facility headers.");
        Problem("401", ["auth.unauthenticated"], "no valid bearer token.");
        Problem("403", ["auth.forbidden", "scope.forbidden"], "the role may not do this, or the tenant/facility is not in the token.");
        Problem("503", ["service.unavailable"], "the database is unavailable; retry after `Retry-After` seconds.");
        if (namesRecord) Problem("404", ["not_found"], "no such record in this tenant and facility.");
        if (httpMethod is "POST" or "PUT")
        {
            // The rules of the record's state that refuse this command, read from its code; then the races any command can lose.
            Problem("409", [.. ConflictCodes.Of(endpoint), "concurrency.conflict", "idempotency.in_progress"],
                "refused by the record's state, or another change or the same request won a race.");
            Problem("412", ["concurrency.precondition_failed"], "`If-Match` names a stale version (`currentVersion` given).");
            Problem("413", ["request.too_large"], $"the body is over {Requests.Limits.MaxBodyBytes / 1024 / 1024} MiB.");
            Problem("415", ["http.415"], "the body must be `application/json`.");
            Problem("422", ["idempotency.key_reuse"], "the `Idempotency-Key` was used for another request.");
            Problem("428", ["concurrency.version_required"], "this decision needs `If-Match` (verify, release).");
        }

        // What the framework declared besides (Wolverine's 404 for a missing record): the same shape, with its code.
        foreach (var (status, response) in operation.Responses.Where(r => r.Key is ['4' or '5', ..]).ToList())
            if (response.Content?.Values.Any(m => m.Schema?.Properties?.ContainsKey("code") == true) != true)
                Problem(status, [status == "404" ? "not_found" : $"http.{status}"], response.Description ?? "");
    }

    private static string? SummaryOf(MethodInfo method) =>
        Summaries.Value.TryGetValue($"M:{method.DeclaringType?.FullName}.{method.Name}", out var summary) ? summary : null;

    /// <summary>The first sentence-level summary of each method in the assembly's XML documentation, by type and name.</summary>
    private static Dictionary<string, string> LoadSummaries()
    {
        var path = Path.ChangeExtension(typeof(OpenApiConventions).Assembly.Location, ".xml");
        if (!File.Exists(path)) return [];
        var summaries = new Dictionary<string, string>();
        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            var name = member.Attribute("name")?.Value ?? "";
            if (!name.StartsWith("M:") || member.Element("summary") is not { } summary) continue;
            var key = name.Split('(')[0];
            // <see cref="T:X.Y"/> reads as its last name; everything else as its text, on one line.
            foreach (var see in summary.Descendants("see").ToList())
                see.ReplaceWith(new XText((see.Attribute("cref")?.Value ?? see.Attribute("langword")?.Value ?? "").Split('.').Last()));
            var text = string.Join(' ', summary.Value.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
            summaries.TryAdd(key, text);
        }

        return summaries;
    }
}
