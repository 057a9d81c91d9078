using System.Text.RegularExpressions;

namespace Encounters.Scope;

/// <summary>The two headers that place every /api request in a tenant and a facility.</summary>
public static partial class ScopeHeaders
{
    public const string Tenant = "X-Tenant-ID";
    public const string Facility = "X-Facility-ID";

    [GeneratedRegex(@"\A[a-z0-9-]{1,64}\z")]
    private static partial Regex ScopeId();

    public static bool IsValid(string? value) => value is not null && ScopeId().IsMatch(value);
}
