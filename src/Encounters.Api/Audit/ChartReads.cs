using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Encounters.Encounters;
using Encounters.Lab;
using Encounters.Patients;
using Wolverine;

namespace Encounters.Audit;

/// <summary>Someone looked at a chart: a patient record, an encounter, its timeline, or a lab report.</summary>
public record ChartViewed(Guid PatientId, string Resource, Guid ResourceId, string Path, DateTimeOffset ViewedAt);

/// <summary>A successful chart read, on its way to the audit trail (a durable local message).</summary>
public record ChartRead(string Resource, Guid ResourceId, string FacilityId, string Path, DateTimeOffset At, EventActor Actor,
    string? ClientIp, string? UserAgent, string? CorrelationId);

/// <summary>
/// Notes successful reads of patient data after the response has gone out, so the read path pays
/// nothing but a queued message; the handler below writes the audit fact.
/// </summary>
public sealed partial class ChartReadAuditMiddleware(RequestDelegate next)
{
    [GeneratedRegex(@"\A/api/(?:(patients)/([0-9a-fA-F-]{36})(?:/encounters)?|(encounters)/([0-9a-fA-F-]{36})(?:/(timeline|results|orders))?|lab/(results)/([0-9a-fA-F-]{36}))/?\z")]
    private static partial Regex ChartPath();

    public async Task InvokeAsync(HttpContext context, IMessageBus bus, CurrentScope scope)
    {
        await next(context);

        if (!HttpMethods.IsGet(context.Request.Method) || context.Response.StatusCode != 200) return;
        var match = ChartPath().Match(context.Request.Path.Value ?? "");
        if (!match.Success) return;

        var (resource, id) = match.Groups[1].Success ? ("patient", match.Groups[2].Value)
            : match.Groups[3].Success ? (match.Groups[5].Success ? $"encounter.{match.Groups[5].Value}" : "encounter", match.Groups[4].Value)
            : ("result", match.Groups[7].Value);
        var read = new ChartRead(resource, Guid.Parse(id), scope.FacilityId, context.Request.Path + context.Request.QueryString,
            DateTimeOffset.UtcNow, scope.Actor, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString(),
            System.Diagnostics.Activity.Current?.TraceId.ToString());
        await bus.PublishAsync(read, new DeliveryOptions { TenantId = scope.TenantId });
    }
}

public static class ChartReadHandler
{
    /// <summary>Records the read on the patient's access log (a stream of its own, so reads never contend with clinical writes).</summary>
    public static async Task Handle(ChartRead read, IDocumentSession session, IMessageContext context, CancellationToken ct)
    {
        var patientId = read.Resource switch
        {
            "patient" => read.ResourceId,
            "result" => (await session.LoadAsync<LabReport>(read.ResourceId, ct))?.PatientId,
            _ => (await session.LoadAsync<EncounterSummary>(read.ResourceId, ct))?.PatientId,
        };
        if (patientId is null) return;

        EventMetadataMiddleware.Stamp(session, read.Actor, context.TenantId ?? "", read.FacilityId);
        session.CorrelationId = read.CorrelationId;
        if (read.ClientIp is not null) session.SetHeader(EventHeaders.ClientIp, read.ClientIp);
        if (read.UserAgent is not null) session.SetHeader(EventHeaders.UserAgent, read.UserAgent);
        session.Events.Append(AccessLogOf(patientId.Value),
            new ChartViewed(patientId.Value, read.Resource, read.ResourceId, read.Path, read.At));
    }

    /// <summary>Each patient's access log is its own stream, with an id derived from the patient's.</summary>
    public static Guid AccessLogOf(Guid patientId) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"access-log:{patientId}")));
}
