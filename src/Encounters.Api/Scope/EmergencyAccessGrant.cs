using System.Text.Json.Serialization;

namespace Encounters.Scope;

// Break-glass is a scope rule: the facility guard lets a clinician read a chart outside their facility while a grant
// lasts. The Patients module takes the request (RequestEmergencyAccess) and ends the grant at its expiry.

[JsonConverter(typeof(JsonStringEnumConverter<EmergencyReason>))]
public enum EmergencyReason
{
    [JsonStringEnumMemberName("life-threatening")] LifeThreatening,
    [JsonStringEnumMemberName("unconscious-patient")] UnconsciousPatient,
    [JsonStringEnumMemberName("urgent-treatment")] UrgentTreatment,
    [JsonStringEnumMemberName("other")] Other,
}

// Break-glass: a clinician reads a chart outside their usual scope, loudly, for a limited time.
public record EmergencyAccessGranted(Guid GrantId, Guid PatientId, string UserId, string FacilityId, EmergencyReason Reason, string Note,
    DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt);

public record EmergencyAccessExpired(Guid GrantId, Guid PatientId, DateTimeOffset ExpiredAt);

/// <summary>A grant as the service checks it (inline projection of its stream).</summary>
public sealed partial class EmergencyAccessGrant
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public string UserId { get; set; } = "";
    public string FacilityId { get; set; } = "";
    public EmergencyReason Reason { get; set; }
    public string Note { get; set; } = "";
    public DateTimeOffset GrantedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public bool Expired { get; set; }

    public static EmergencyAccessGrant Create(EmergencyAccessGranted e) => new()
    {
        Id = e.GrantId, PatientId = e.PatientId, UserId = e.UserId, FacilityId = e.FacilityId, Reason = e.Reason, Note = e.Note,
        GrantedAt = e.GrantedAt, ExpiresAt = e.ExpiresAt,
    };

    public void Apply(EmergencyAccessExpired _) => Expired = true;

    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(60);

    public static void Configure(StoreOptions opts)
    {
        opts.Events.AddEventTypes([typeof(EmergencyAccessGranted), typeof(EmergencyAccessExpired)]);
        opts.Projections.Snapshot<EmergencyAccessGrant>(JasperFx.Events.Projections.SnapshotLifecycle.Inline);
        opts.Schema.For<EmergencyAccessGrant>().Index(x => x.UserId).Index(x => x.PatientId);
    }
}
