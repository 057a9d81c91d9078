namespace Encounters;

/// <summary>
/// The client-facing surfaces: the REST API (/api) and the FHIR R4 read API (/fhir). Both get the same request guard,
/// tenant and facility scope, read-audit declaration and API-reference conventions, so this is the one list of them.
/// </summary>
public static class ApiSurface
{
    public static readonly string[] Prefixes = ["/api", "/fhir"];

    public static bool Covers(PathString path) => Prefixes.Any(prefix => path.StartsWithSegments(prefix));

    /// <summary>A route template, absolute ("/fhir/Patient/{id}") or relative as in API descriptions ("fhir/Patient/{id}").</summary>
    public static bool CoversRoute(string? route) => route is not null && Covers(new PathString("/" + route.TrimStart('/')));

    /// <summary>Whether a path or route template belongs to the FHIR API (its errors are OperationOutcomes).</summary>
    public static bool IsFhir(string? route) => route is not null && new PathString("/" + route.TrimStart('/')).StartsWithSegments("/fhir");
}
