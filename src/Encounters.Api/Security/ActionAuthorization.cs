using Microsoft.AspNetCore.Authorization;

namespace Encounters.Security;

/// <summary>An endpoint's action (its <c>[Authorize(Actions.X)]</c> policy name).</summary>
public sealed record ActionRequirement(string Action) : IAuthorizationRequirement;

/// <summary>
/// Grants an action when one of the user's roles has it in the permission matrix, or when the facility of the
/// request has switched on a staffing rule that grants it to one of the user's roles (read only in that case).
/// </summary>
public sealed class ActionAuthorization(IDocumentStore store, IHttpContextAccessor http) : AuthorizationHandler<ActionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ActionRequirement requirement)
    {
        var roles = Claims.Roles(context.User);
        if (roles.Any(role => Permissions.Allows(role, requirement.Action)))
        {
            context.Succeed(requirement);
            return;
        }

        var grants = Permissions.StaffingGrants.Where(g => g.Value.Action == requirement.Action && roles.Contains(g.Value.Role)).ToList();
        if (grants.Count == 0 || http.HttpContext is not { } request) return;

        var tenant = request.Request.Headers[ScopeHeaders.Tenant].ToString();
        var facility = request.Request.Headers[ScopeHeaders.Facility].ToString();
        await using var session = store.QuerySession(tenant);
        var rules = await StaffingRules.LoadAsync(session, facility, null, request.RequestAborted);
        if (grants.Any(g => rules.Rules.Contains(g.Key))) context.Succeed(requirement);
    }
}
