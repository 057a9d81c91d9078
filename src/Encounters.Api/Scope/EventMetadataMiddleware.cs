using System.Diagnostics;
using Marten;

namespace Encounters.Scope;

/// <summary>Stamps every event a command appends with who, in what role, where, and within which trace.</summary>
public static class EventMetadataMiddleware
{
    public static void Before(IDocumentSession session, CurrentScope scope, HttpContext http)
    {
        session.LastModifiedBy = scope.UserId;
        session.CorrelationId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        session.CausationId = Activity.Current?.SpanId.ToString() ?? http.TraceIdentifier;
        session.SetHeader(EventHeaders.UserId, scope.UserId);
        session.SetHeader(EventHeaders.UserName, scope.UserName);
        session.SetHeader(EventHeaders.Role, scope.ActingRole);
        session.SetHeader(EventHeaders.Tenant, scope.TenantId);
        session.SetHeader(EventHeaders.Facility, scope.FacilityId);
        session.SetHeader(EventHeaders.ClientIp, http.Connection.RemoteIpAddress?.ToString() ?? "");
        session.SetHeader(EventHeaders.UserAgent, http.Request.Headers.UserAgent.ToString());
    }
}

public static class EventHeaders
{
    public const string UserId = "userId";
    public const string UserName = "userName";
    public const string Role = "role";
    public const string Tenant = "tenantId";
    public const string Facility = "facilityId";
    public const string ClientIp = "clientIp";
    public const string UserAgent = "userAgent";
}
