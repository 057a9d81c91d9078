using System.Diagnostics;

namespace Encounters.Scope;

/// <summary>Stamps every event a command appends with who, in what role, where, and within which trace.</summary>
public static class EventMetadataMiddleware
{
    public static void Before(IDocumentSession session, CurrentScope scope, HttpContext http)
    {
        Stamp(session, new EventActor(scope.UserId, scope.UserName, scope.ActingRole), scope.TenantId, scope.FacilityId);
        session.CorrelationId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
        session.CausationId = Activity.Current?.SpanId.ToString() ?? http.TraceIdentifier;
        session.SetHeader(EventHeaders.ClientIp, http.Connection.RemoteIpAddress?.ToString() ?? "");
        session.SetHeader(EventHeaders.UserAgent, http.Request.Headers.UserAgent.ToString());
    }

    /// <summary>The who and where of the events a session appends; message handlers use it with the actor their message names.</summary>
    public static void Stamp(IDocumentSession session, EventActor actor, string tenantId, string facilityId)
    {
        session.LastModifiedBy = actor.UserId;
        session.SetHeader(EventHeaders.UserId, actor.UserId);
        session.SetHeader(EventHeaders.UserName, actor.UserName);
        session.SetHeader(EventHeaders.Role, actor.Role);
        session.SetHeader(EventHeaders.Tenant, tenantId);
        session.SetHeader(EventHeaders.Facility, facilityId);
    }
}

/// <summary>Who caused an event, carried on cross-module messages so their effects are attributed too.</summary>
public record EventActor(string UserId, string UserName, string Role);

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
