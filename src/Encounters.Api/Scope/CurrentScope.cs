using System.Net.Http.Headers;

namespace Encounters.Scope;

/// <summary>Who is acting, in which tenant and facility, and what version they expect: read from the request.</summary>
public sealed class CurrentScope(IHttpContextAccessor accessor)
{
    private HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("No HTTP request in scope.");

    public string TenantId => Http.Request.Headers[ScopeHeaders.Tenant].ToString();
    public string FacilityId => Http.Request.Headers[ScopeHeaders.Facility].ToString();
    public string UserId => Http.User.FindFirst(Claims.Subject)?.Value ?? "";
    public string UserName => Http.User.FindFirst(Claims.Name)?.Value ?? UserId;

    /// <summary>The first of the user's roles that grants the endpoint's action.</summary>
    public string ActingRole
    {
        get
        {
            var action = Http.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>()?.Policy;
            var roles = Claims.Roles(Http.User);
            // A role granted by the matrix, else one granted by a facility staffing rule (authorization has checked it is on).
            return roles.FirstOrDefault(role => action is null || Permissions.Allows(role, action))
                   ?? roles.FirstOrDefault(role => Permissions.StaffingGrants.Values.Contains((role, action!))) ?? "";
        }
    }

    public EventActor Actor => new(UserId, UserName, ActingRole);

    public System.Security.Claims.ClaimsPrincipal User => Http.User;

    /// <summary>
    /// Whether this caller may read a patient's chart kept at <paramref name="facilityId"/>: their own facility, or an
    /// unexpired break-glass grant of theirs for that patient (then remembered, so the read audit flags it).
    /// </summary>
    public async Task<bool> SeesAsync(IQuerySession session, string facilityId, Guid patientId, CancellationToken ct)
    {
        if (facilityId == FacilityId) return true;
        var now = Http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var grant = await session.Query<EmergencyAccessGrant>()
            .Where(g => g.UserId == UserId && g.PatientId == patientId && !g.Expired && g.ExpiresAt > now)
            .FirstOrDefaultAsync(ct);
        if (grant is not null) Http.Items[EmergencyGrantKey] = grant.Id;
        return grant is not null;
    }

    private const string EmergencyGrantKey = "encounters.emergency-grant";

    /// <summary>The break-glass grant this request read under, if any.</summary>
    public Guid? EmergencyGrant => Http.Items.TryGetValue(EmergencyGrantKey, out var grant) ? (Guid?)grant : null;

    /// <summary>The stream version named by <c>If-Match</c> ("3" or the ETag "\"3\""), if any.</summary>
    public long? ExpectedVersion
    {
        get
        {
            var header = Http.Request.Headers.IfMatch.ToString();
            if (string.IsNullOrWhiteSpace(header)) return null;
            var raw = EntityTagHeaderValue.TryParse(header, out var tag) ? tag.Tag.Trim('"') : header.Trim('"');
            return long.TryParse(raw, out var version) ? version : -1;
        }
    }

    /// <summary>Whether the endpoint decides on what the person reviewed (<see cref="ReviewedAttribute"/>).</summary>
    public bool Reviewed => Http.GetEndpoint()?.Metadata.GetMetadata<ReviewedAttribute>() is not null;
}
