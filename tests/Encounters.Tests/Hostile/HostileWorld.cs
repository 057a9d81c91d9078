using System.Text.Json.Nodes;
using Encounters.Security;

namespace Encounters.Tests.Hostile;

/// <summary>
/// A fresh tenant with one of everything (patient, encounter in consult, order, received sample, entered
/// result, open task, booked appointment), so hostile requests reach past "not found" into validation and the handlers. The
/// caller holds every role; ids of another tenant and another facility are kept to be sent as hostile ids.
/// </summary>
public sealed class HostileWorld
{
    public required string Tenant { get; init; }
    public required Caller Omni { get; init; }
    public required string OmniToken { get; init; }
    public required Dictionary<string, Guid> Ids { get; init; }
    public required string Barcode { get; init; }
    public required Guid OtherTenantId { get; init; }
    public required Guid OtherFacilityId { get; init; }

    /// <summary>The seeded id a field or path segment names (e.g. orderItemId, itemIds, /encounters/{id}), else a random one.</summary>
    public Guid IdFor(string hint)
    {
        var h = hint.ToLowerInvariant();
        foreach (var (name, id) in Ids)
            if (h.Contains(name)) return id;
        return Guid.NewGuid();
    }

    public static async Task<HostileWorld> SeedAsync(AppFixture app)
    {
        var tenant = TestData.NewTenant();
        var omniToken = TokenFor(tenant);
        var omni = new Caller(app.Host, tenant, "clinic-1", omniToken);
        var patient = await TestData.RegisterPatient(omni);
        var encounter = await TestData.PlanEncounter(omni, patient);
        await omni.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await omni.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        var order = await omni.Post("/api/orders", new { encounterId = encounter, priority = "stat", items = new[] { new { serviceCode = "GLU" } } }, 201);
        var item = ClinicTest.ItemIds(order)[0];
        var sample = await omni.Post("/api/lab/samples", new { orderId = order.Id, itemIds = new[] { item }, collectedAt = DateTimeOffset.UtcNow.ToString("O") }, 201);
        var barcode = sample["barcode"];
        await omni.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode, receivedAt = DateTimeOffset.UtcNow.ToString("O") }, 200);
        await omni.Post("/api/lab/results", new { orderItemId = item, analytes = new[] { new { code = "2345-7", value = 95, unit = "mg/dL" } } }, 201);
        var imaging = await omni.Post("/api/imaging",
            new { encounterId = encounter, procedureCode = "CXR-PA", priority = "urgent", clinicalIndication = "Fever and cough." }, 201);
        await app.CaughtUp(); // the order's collect task is projected asynchronously
        var task = Guid.Parse((await omni.Get("/api/tasks", 200)).Json["items"]![0]!["task"]!["id"]!.ToString());
        await omni.Post($"/api/patients/{patient}/allergies", new { noKnownAllergies = true }, 200);
        var prescribed = await omni.Post($"/api/encounters/{encounter}/prescriptions", new
        {
            lines = new[] { new { code = "PARA-500", dose = 1000, frequency = "four-times-daily", durationDays = 3 } },
        }, 201);
        var prescription = Guid.Parse(prescribed.Json["prescriptions"]![0]!["id"]!.ToString());
        var tomorrow = DateTime.UtcNow.Date.AddDays(1);
        await omni.Post("/api/schedules", new { clinicianId = "omni-1", slotMinutes = 15,
            hours = new[] { new { day = tomorrow.DayOfWeek.ToString().ToLowerInvariant(), start = "08:00", end = "17:00" } } }, 200);
        var appointment = await omni.Post("/api/appointments", new { patientId = patient, clinicianId = "omni-1",
            start = new DateTimeOffset(tomorrow.AddHours(9), TimeSpan.Zero), durationMinutes = 30, reason = "Review" }, 201);

        var elsewhere = omni.In("clinic-2");
        var otherFacility = await TestData.PlanEncounter(elsewhere, await TestData.RegisterPatient(elsewhere));
        var stranger = TestData.NewTenant();
        var otherTenant = await TestData.PlanEncounter(new Caller(app.Host, stranger, "clinic-1", TokenFor(stranger)));

        // Order matters: the first name a hint contains wins ("orderItemId" is an item, not an order).
        var ids = new Dictionary<string, Guid>
        {
            ["imaging"] = imaging.Id, ["item"] = item, ["patient"] = patient, ["encounter"] = encounter, ["order"] = order.Id, ["sample"] = sample.Id,
            ["result"] = item, ["task"] = task, ["prescription"] = prescription, ["appointment"] = appointment.Id,
            // FHIR resource types (/fhir/ServiceRequest/{id}): an ordered test is a ServiceRequest and its DiagnosticReport.
            ["servicerequest"] = item, ["diagnosticreport"] = item, ["specimen"] = sample.Id,
            ["medicationrequest"] = prescription,
        };
        return new HostileWorld { Tenant = tenant, Omni = omni, OmniToken = omniToken, Ids = ids, Barcode = barcode, OtherTenantId = otherTenant, OtherFacilityId = otherFacility };
    }

    private static string TokenFor(string tenant) =>
        DevTokens.Issue(AppFixture.SigningKey, "omni-1", "Omni User", Roles.All, tenant, ["clinic-1", "clinic-2"], TimeSpan.FromHours(1));
}
