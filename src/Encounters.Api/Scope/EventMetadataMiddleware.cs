using System.Diagnostics;
using JasperFx.Events;

namespace Encounters.Scope;

/// <summary>Stamps every event a command appends with who, in what role, where, and within which trace.</summary>
public static class EventMetadataMiddleware
{
    public static void Before(IDocumentSession session, CurrentScope scope, HttpContext http) => EventStamp.Of(scope, http).ApplyTo(session);

    /// <summary>The who and where of the events a session appends; message handlers use it with the actor their message names.</summary>
    public static void Stamp(IDocumentSession session, EventActor actor, string tenantId, string facilityId) =>
        new EventStamp(actor.UserId, null, null, EventStamp.HeadersOf(actor, tenantId, facilityId)).ApplyTo(session);
}

/// <summary>
/// One request's event metadata, written once: on a session (every event it appends), or on single events that share a
/// transaction with other requests' events (chart reads, <see cref="Audit.ChartReadWriter"/>).
/// </summary>
public sealed record EventStamp(string UserId, string? CorrelationId, string? CausationId, IReadOnlyDictionary<string, object> Headers)
{
    public static EventStamp Of(CurrentScope scope, HttpContext http)
    {
        var headers = HeadersOf(new EventActor(scope.UserId, scope.UserName, scope.ActingRole), scope.TenantId, scope.FacilityId);
        headers[EventHeaders.ClientIp] = http.Connection.RemoteIpAddress?.ToString() ?? "";
        headers[EventHeaders.UserAgent] = http.Request.Headers.UserAgent.ToString();
        return new EventStamp(scope.UserId, Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
            Activity.Current?.SpanId.ToString() ?? http.TraceIdentifier, headers);
    }

    public static Dictionary<string, object> HeadersOf(EventActor actor, string tenantId, string facilityId) => new()
    {
        [EventHeaders.UserId] = actor.UserId, [EventHeaders.UserName] = actor.UserName, [EventHeaders.Role] = actor.Role,
        [EventHeaders.Tenant] = tenantId, [EventHeaders.Facility] = facilityId,
    };

    public void ApplyTo(IDocumentSession session)
    {
        session.LastModifiedBy = UserId;
        if (CorrelationId is not null) session.CorrelationId = CorrelationId;
        if (CausationId is not null) session.CausationId = CausationId;
        foreach (var (key, value) in Headers) session.SetHeader(key, value);
    }

    public IEvent ApplyTo(IEvent e)
    {
        e.UserName = UserId;
        e.CorrelationId = CorrelationId;
        e.CausationId = CausationId;
        foreach (var (key, value) in Headers) e.SetHeader(key, value);
        return e;
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
