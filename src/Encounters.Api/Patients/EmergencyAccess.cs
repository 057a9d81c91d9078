using System.Diagnostics.Metrics;
using Encounters.Audit;
using JasperFx.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine;

namespace Encounters.Patients;

/// <summary>The durable scheduled message that ends a grant at its expiry, on whichever node is running then.</summary>
public record ExpireEmergencyAccess(Guid GrantId, Guid PatientId, DateTimeOffset ExpiresAt);

public record RequestEmergencyAccess(EmergencyReason? Reason, string? Note);

public static class RequestEmergencyAccessEndpoint
{
    private static readonly Counter<long> Grants = new Meter(Observability.Telemetry.MeterName)
        .CreateCounter<long>("encounters.emergency_access.grants", "{grant}", "Break-glass grants of chart access");

    public static Task<Patient?> LoadAsync(Guid id, IQuerySession session, CancellationToken ct) => session.LoadAsync<Patient>(id, ct);

    public static ProblemDetails Validate(RequestEmergencyAccess command, [NotBody] Patient? patient)
    {
        if (patient is null) return Problems.NotFound("Patient");
        var errors = new Dictionary<string, string[]>();
        if (command.Reason is null) errors["reason"] = ["One of life-threatening, unconscious-patient, urgent-treatment, other."];
        Requests.Limits.Text(errors, "note", command.Note, Requests.Limits.Note, required: true);
        return Problems.Validation(errors);
    }

    /// <summary>
    /// Break-glass: a clinician gets 60 minutes of read access to a patient's chart anywhere in the tenant. Every read
    /// under it is flagged in the audit, an auditor's review task opens, and the grant ends by itself.
    /// </summary>
    [WolverinePost("/api/patients/{id}/emergency-access", Name = "RequestEmergencyAccess"), Authorize(Actions.BreakGlass), AnyFacility]
    public static (Created<EmergencyAccessGrant>, IStartStream, OutgoingMessages) Post(RequestEmergencyAccess command, [NotBody] Patient patient,
        CurrentScope scope, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var granted = new EmergencyAccessGranted(Guid.CreateVersion7(), patient.Id, scope.UserId, scope.FacilityId, command.Reason!.Value,
            command.Note!.Trim(), now, now + EmergencyAccessGrant.Duration);
        Grants.Add(1);
        return (TypedResults.Created($"/api/patients/{patient.Id}", EmergencyAccessGrant.Create(granted)),
            MartenOps.StartStream<EmergencyAccessGrant>(granted.GrantId, granted),
            [new ExpireEmergencyAccess(granted.GrantId, patient.Id, granted.ExpiresAt).ScheduledAt(granted.ExpiresAt)]);
    }
}

public static class ExpireEmergencyAccessHandler
{
    public static void Handle(ExpireEmergencyAccess message, IDocumentSession session) =>
        session.Events.Append(message.GrantId, new EmergencyAccessExpired(message.GrantId, message.PatientId, message.ExpiresAt));
}
