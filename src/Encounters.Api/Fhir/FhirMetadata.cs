using System.Reflection;
using Encounters.Audit;
using R4 = Hl7.Fhir.Model;

namespace Encounters.Fhir;

/// <summary>
/// The CapabilityStatement, derived from the FHIR endpoints themselves (their routes and search parameters), so it lists exactly
/// what is served and cannot drift from it.
/// </summary>
public static class FhirMetadata
{
    /// <summary>Search parameter types by name, and what each means here.</summary>
    private static readonly Dictionary<string, (R4.SearchParamType Type, string Documentation)> Parameters = new()
    {
        ["identifier"] = (R4.SearchParamType.Token, "MRN or national id; system|value or value."),
        ["name"] = (R4.SearchParamType.String, "Any part of the name, case-insensitive."),
        ["birthdate"] = (R4.SearchParamType.Date, "eq, ge, gt, le, lt on a year, month or day."),
        ["phone"] = (R4.SearchParamType.Token, "The phone number's digits, in any spacing."),
        ["patient"] = (R4.SearchParamType.Reference, "Patient/id."),
        ["encounter"] = (R4.SearchParamType.Reference, "Encounter/id."),
        ["context"] = (R4.SearchParamType.Reference, "Encounter/id (the visit a charge belongs to)."),
        ["date"] = (R4.SearchParamType.Date, "eq, ge, gt, le, lt on a year, month, day or instant."),
        ["status"] = (R4.SearchParamType.Token, "One or more status codes, comma-separated."),
        ["code"] = (R4.SearchParamType.Token, "A LOINC code; system|code or code."),
        ["category"] = (R4.SearchParamType.Token, "vital-signs or laboratory."),
    };

    private static readonly Lazy<List<R4.CapabilityStatement.ResourceComponent>> Resources = new(Describe);

    /// <summary>What this FHIR R4 server supports: resource types, their interactions and search parameters (JSON only).</summary>
    [NoPatientData]
    [WolverineGet("/fhir/metadata", Name = "FhirCapabilities"), Authorize]
    public static FhirResponse Get(HttpRequest request) => new(new R4.CapabilityStatement
    {
        Status = R4.PublicationStatus.Active,
        Date = "2026-11-23",
        Kind = R4.CapabilityStatementKind.Instance,
        Software = new R4.CapabilityStatement.SoftwareComponent { Name = "Encounters" },
        Implementation = new R4.CapabilityStatement.ImplementationComponent
        {
            Description = "Encounters FHIR R4 read API", Url = FhirLinks.FullUrl(request, "", "").TrimEnd('/'),
        },
        FhirVersion = R4.FHIRVersion.N4_0_1,
        Format = [FhirResponse.ContentType],
        Rest =
        [
            new R4.CapabilityStatement.RestComponent
            {
                Mode = R4.CapabilityStatement.RestfulCapabilityMode.Server,
                Security = new R4.CapabilityStatement.SecurityComponent
                {
                    Description = "A bearer token (JWT) and the X-Tenant-ID and X-Facility-ID headers, as for the rest of the API. " +
                                  "Reads are limited to the facility and audited as chart reads.",
                },
                Resource = Resources.Value,
            },
        ],
    });

    private static List<R4.CapabilityStatement.ResourceComponent> Describe()
    {
        var routes = typeof(FhirMetadata).Assembly.GetTypes().Where(t => t.Namespace == typeof(FhirMetadata).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(m => (Method: m, Route: m.GetCustomAttribute<WolverineGetAttribute>()?.Template))
            .Where(x => x.Route is not null && x.Route != "/fhir/metadata")
            .Select(x => (x.Method, Parts: x.Route!.Split('/', StringSplitOptions.RemoveEmptyEntries)))
            .ToList();

        return routes.GroupBy(x => x.Parts[1]).OrderBy(g => g.Key).Select(type =>
        {
            var resource = new R4.CapabilityStatement.ResourceComponent
            {
                Type = type.Key, Versioning = R4.CapabilityStatement.ResourceVersionPolicy.Versioned, ReadHistory = true,
            };
            foreach (var (method, parts) in type)
            {
                resource.Interaction.Add(new R4.CapabilityStatement.ResourceInteractionComponent
                {
                    Code = parts.Length switch
                    {
                        2 => R4.CapabilityStatement.TypeRestfulInteraction.SearchType,
                        3 => R4.CapabilityStatement.TypeRestfulInteraction.Read,
                        4 => R4.CapabilityStatement.TypeRestfulInteraction.HistoryInstance,
                        _ => R4.CapabilityStatement.TypeRestfulInteraction.Vread,
                    },
                });
                if (parts.Length == 2)
                    foreach (var parameter in method.GetParameters().Where(p => Parameters.ContainsKey(p.Name!)))
                        resource.SearchParam.Add(new R4.CapabilityStatement.SearchParamComponent
                        {
                            Name = parameter.Name, Type = Parameters[parameter.Name!].Type, Documentation = Parameters[parameter.Name!].Documentation,
                        });
            }
            resource.Interaction = resource.Interaction.OrderBy(i => i.Code).ToList();
            return resource;
        }).ToList();
    }
}
