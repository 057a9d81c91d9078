using System.Text.Json;
using System.Text.Json.Serialization;
using Encounters.Billing;
using Encounters.Medications;

namespace Encounters.Tests;

/// <summary>
/// Response bodies read as types instead of JSON string paths. Where the API's own response type reads back whole (every
/// field settable or in its constructor: Page, TaskView, TimelineEntry, AuditEntry, EncounterView, ChargeItem) a test reads
/// that, which ties it to the contract; a body with fields the server computes (an invoice's totals) or that the
/// framework writes (a problem) has a record here mirroring its JSON.
/// </summary>
public static class Bodies
{
    /// <summary>The API's JSON conventions (Program.cs): web defaults, enums as camelCase strings.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}

/// <summary>
/// A refusal (problem+json): its stable code, for a validation problem the errors per field, and the extensions some
/// refusals carry (the state or version the resource is in, the close gate's unmet rules, a prescription's safety findings).
/// </summary>
public record Problem(string? Code, string? Title, int? Status, string? Detail, Dictionary<string, string[]>? Errors,
    string? CurrentStatus = null, long? CurrentVersion = null, IReadOnlyList<UnmetRule>? UnmetRules = null,
    IReadOnlyList<SafetyFinding>? Findings = null);

/// <summary>A close-gate rule an encounter does not meet yet.</summary>
public record UnmetRule(string Rule, string Message);

/// <summary>An invoice as the server states it: its totals and status are computed there, so they are read, not recomputed.</summary>
public record InvoiceBody(Guid Id, string Status, string Currency, string? Number, decimal Total, decimal Credited, decimal Paid,
    decimal Balance, IReadOnlyList<ChargeItem> Charges, IReadOnlyList<Payment> Payments, IReadOnlyList<CreditNote> CreditNotes,
    string? VoidReason, long Version);

/// <summary>The readiness answer (/health/ready): overall status and each check's status and description.</summary>
public record HealthBody(string Status, Dictionary<string, HealthCheckBody> Checks);

public record HealthCheckBody(string Status, string? Description);
