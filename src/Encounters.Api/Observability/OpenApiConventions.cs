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
        if (ApiSurface.CoversRoute(route)) DeclareProblems(operation, context.Description.HttpMethod ?? "GET", route);
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
            "Observability" or "Security" or "Scope" => "Admin",
            "Fhir" => "FHIR",
            _ => module,
        };
    }

    /// <summary>
    /// The problem answers an operation can give, by what it is: each with its stable codes. The FHIR API gives the same
    /// answers as OperationOutcomes (application/fhir+json), the code in the details.
    /// </summary>
    private static void DeclareProblems(OpenApiOperation operation, string httpMethod, string route)
    {
        operation.Responses ??= new OpenApiResponses();
        void Problem(string status, string description)
        {
            if (!operation.Responses.ContainsKey(status))
                operation.Responses[status] = new OpenApiResponse
                {
                    Description = description,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ApiSurface.IsFhir(route) ? "application/fhir+json" : "application/problem+json"] = new(),
                    },
                };
        }

        Problem("400", "Invalid request: `validation` (per-field `errors`), `scope.invalid` (tenant/facility headers).");
        Problem("401", "`auth.unauthenticated`: no valid bearer token.");
        Problem("403", "`auth.forbidden` (role), `scope.forbidden` (tenant/facility not in the token).");
        Problem("503", "`service.unavailable`: the database is unavailable; retry after `Retry-After` seconds.");
        if (route.Contains('{')) Problem("404", "`not_found`: no such record in this tenant and facility.");
        if (httpMethod is "POST" or "PUT")
        {
            Problem("409", "A rule of the record's state refuses it (e.g. `encounter.invalid_transition`, `lab.item_cancelled`), "
                           + "or `idempotency.in_progress`.");
            Problem("412", "`concurrency.precondition_failed`: `If-Match` names a stale version (`currentVersion` given).");
            Problem("413", "`request.too_large`: the body is over 1 MiB.");
            Problem("415", "The body must be `application/json`.");
            Problem("422", "`idempotency.key_reuse`: the `Idempotency-Key` was used for another request.");
            Problem("428", "`concurrency.version_required`: this decision needs `If-Match` (verify, release).");
        }
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
