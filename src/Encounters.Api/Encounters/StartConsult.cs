using Wolverine;

namespace Encounters.Encounters;

public static class StartConsultEndpoint
{
    public static ProblemDetails Validate([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope) =>
        EncounterTransitions.Check(scope, encounter, EncounterTransitions.Command.StartConsult);

    /// <summary>
    /// The clinician sees the patient: arrived/triaged → in-progress; the caller is the attending
    /// clinician. A durable check is scheduled for when the clinic's documentation limit runs out.
    /// </summary>
    [WolverinePost("/api/encounters/{id}/start-consult", Name = "StartConsult"), Authorize(Actions.StartConsult)]
    public static (EncounterResponse, Events, OutgoingMessages) Post([WriteAggregate(LoadStyle = ConcurrencyStyle.Exclusive)] Encounter encounter, CurrentScope scope,
        ClinicSettings settings, TimeProvider clock)
    {
        var started = new ConsultStarted(encounter.Id, scope.UserId, scope.UserName, clock.GetUtcNow());
        var (response, events) = encounter.Decided(started);
        var limit = TimeSpan.FromMinutes(settings.DocumentationLimitMinutes);
        return (response, events,
        [
            new CheckDocumentationTime(encounter.Id, scope.UserId, scope.FacilityId, settings.DocumentationLimitMinutes).ScheduledAt(started.StartedAt + limit),
            new EncounterConsultStarted(encounter.Id, encounter.PatientId, encounter.FacilityId, started.StartedAt, scope.Actor),
        ]);
    }
}


/// <summary>Deployment-wide clinic settings (<c>Clinic:DocumentationLimitMinutes</c>, default 60).</summary>
public sealed record ClinicSettings(int DocumentationLimitMinutes)
{
    public static ClinicSettings From(IConfiguration configuration) =>
        new(configuration.GetValue("Clinic:DocumentationLimitMinutes", 60));
}

/// <summary>Fires when the documentation limit of a consult has run out.</summary>
public record CheckDocumentationTime(Guid EncounterId, string ClinicianId, string FacilityId, int LimitMinutes);

public static class CheckDocumentationTimeHandler
{
    /// <summary>Still open when the limit runs out: record it (the task list opens a task from the fact).</summary>
    public static Events Handle(CheckDocumentationTime check,
        [WriteAggregate(nameof(CheckDocumentationTime.EncounterId))] Encounter encounter, Marten.IDocumentSession session,
        IMessageContext context, TimeProvider clock)
    {
        if (encounter.Status is not (EncounterStatus.InProgress or EncounterStatus.OnLeave)) return [];
        EventMetadataMiddleware.Stamp(session, new EventActor("system", "Encounters", "system"), context.TenantId ?? "", check.FacilityId);
        return [new EncounterDocumentationOverdue(encounter.Id, check.ClinicianId, check.LimitMinutes, clock.GetUtcNow())];
    }
}
