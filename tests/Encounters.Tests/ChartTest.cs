using System.Text.Json.Nodes;
using Alba;
using Encounters.Lab;
using Encounters.Medications;
using Encounters.Patients;
using Encounters.Security;
using Marten;

namespace Encounters.Tests;

/// <summary>A test that reads a whole chart through every GET of the OpenAPI document.</summary>
public abstract class ChartTest(AppFixture app) : ClinicTest(app)
{
    /// <summary>Someone allowed everywhere (all roles at once).</summary>
    protected Caller Reader => Caller.WithRoles(App.Host, Roles.All, Tenant, "clinic-1", "reader-1");

    /// <summary>
    /// One patient's whole chart: a visit with vitals, a note, a released result and an item still to collect; settled, so its
    /// task, audit entries and provenance (projections) are there.
    /// </summary>
    protected async Task<Dictionary<string, string>> Chart()
    {
        var chart = await Settled(Write);
        await AuditTrailHolds(10);
        return chart.Concat(await FhirIds(chart)).ToDictionary();
    }

    private async Task<Dictionary<string, string>> Write()
    {
        var encounter = await InConsult();
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 70 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "Cough." }, 200);
        var (order, items) = await LabOrder(encounter, "GLU", "CBC");
        var sample = await Received(order, items[0]);
        await EnterResult(items[0], "2345-7", 90m);
        await VerifyAndRelease(items[0]);
        var patient = (await PatientOf(encounter)).ToString();
        await Nurse.Post($"/api/patients/{patient}/allergies", new { noKnownAllergies = true }, 200);
        var prescription = (await Doctor.Post($"/api/encounters/{encounter}/prescriptions", new
        {
            lines = new[] { new { code = "PARA-500", dose = 1000, frequency = "four-times-daily", durationDays = 3 } },
        }, 201)).As<PrescriptionGroup>().Prescriptions[0].Id.ToString();
        var imaging = await Doctor.Post("/api/imaging",
            new { encounterId = encounter, procedureCode = "CXR-PA", priority = "routine", clinicalIndication = "Cough for 3 weeks." }, 201);
        var allergy = (await Nurse.Post($"/api/patients/{patient}/allergies", new { substance = new { text = "Latex" }, criticality = "low" }, 200))
            .As<AllergyList>();
        var problem = (await Doctor.Post($"/api/patients/{patient}/problems", new { code = "I10", display = "Essential hypertension" }, 200)).As<ProblemList>();
        return new Dictionary<string, string>
        {
            ["patients"] = patient, ["encounters"] = encounter.ToString(), ["orders"] = order.ToString(), ["samples"] = sample.Id.ToString(),
            ["results"] = items[0].ToString(), ["prescriptions"] = prescription, ["imaging"] = imaging.Id.ToString(), ["section"] = "subjective", ["barcode"] = sample.As<SampleResponse>().Barcode, ["stage"] = "to-collect",
            ["from"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), ["to"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
            ["MedicationRequest"] = prescription,
            ["Patient"] = patient, ["Encounter"] = encounter.ToString(), ["Observation"] = $"lab.{items[0]:N}.0",
            ["DiagnosticReport"] = items[0].ToString(), ["ServiceRequest"] = items[0].ToString(), ["Specimen"] = sample.Id.ToString(), ["vid"] = "1",
            ["patient"] = patient, ["encounter"] = encounter.ToString(), ["context"] = encounter.ToString(), ["ImagingStudy"] = imaging.Id.ToString(),
            // An allergy or problem exists from the patient-stream version that recorded it, not from version 1.
            ["AllergyIntolerance"] = allergy.Allergies[0].Id.ToString(), ["AllergyIntolerance/_history"] = allergy.Version.ToString(),
            ["Condition"] = problem.Problems[0].Id.ToString(), ["Condition/_history"] = problem.Version.ToString(),
        };
    }

    /// <summary>
    /// The chart as FHIR names it: a route's {id} by resource type (/fhir/Specimen/{id} → Specimen), the first version, and the
    /// search parameters patient and encounter (a charge's context). The task, audit entry and provenance come from the (settled)
    /// projections, the consultation's charge from a (handled) message; a charge exists from the invoice version that captured it.
    /// </summary>
    private async Task<Dictionary<string, string>> FhirIds(Dictionary<string, string> chart)
    {
        await using var session = App.Store.QuerySession(Tenant);
        var encounter = Guid.Parse(chart["encounters"]);
        var task = await session.Query<global::Encounters.Tasks.WorkTask>().FirstAsync(t => t.EncounterId == encounter);
        var patient = Guid.Parse(chart["patients"]);
        var registered = await session.Query<global::Encounters.Audit.AuditEntry>().SingleAsync(a => a.StreamId == patient && a.StreamVersion == 1);
        var invoice = await session.LoadAsync<global::Encounters.Billing.Invoice>(global::Encounters.Billing.Invoice.IdFor(encounter));
        var captured = (await session.Events.FetchStreamAsync(invoice!.Id)).First(e => e.Data is global::Encounters.Billing.ChargeItemCaptured);
        return new()
        {
            ["Task"] = task.Id.ToString(), ["AuditEvent"] = registered.Id.ToString(), ["Provenance"] = registered.Id.ToString(),
            ["ChargeItem"] = invoice.Charges[0].Id.ToString(), ["ChargeItem/_history"] = captured.Version.ToString(),
        };
    }

    /// <summary>
    /// A route's {id} is the resource its path names: /api/lab/results/{id} → results; a FHIR {vid} is the first version of
    /// its resource type (Type/_history), else 1.
    /// </summary>
    private static string Fill(string route, IReadOnlyDictionary<string, string> values) =>
        string.Join('/', route.Split('/').Select((part, i) => part switch
        {
            "{id}" => values[route.Split('/')[i - 1]],
            "{vid}" => values.GetValueOrDefault($"{route.Split('/')[i - 3]}/_history", values["vid"]),
            ['{', .. var name, '}'] => values[name],
            _ => part,
        }));

    /// <summary>Noon (UTC) today for the service, so that an appointment later today is upcoming whenever the suite runs.</summary>
    protected static async Task AtNoon(Func<Task> test)
    {
        AppFixture.Clock.Offset = DateTime.UtcNow.Date.AddHours(12) - DateTime.UtcNow;
        try { await test(); }
        finally { AppFixture.Clock.Offset = TimeSpan.Zero; }
    }

    /// <summary>The chart's patient booked later today, so the day list and the patient's upcoming appointments show them.</summary>
    protected async Task<Dictionary<string, string>> WithAppointment(Dictionary<string, string> values)
    {
        var today = AppFixture.Clock.GetUtcNow().UtcDateTime.Date;
        await Admin.Post("/api/schedules", new { clinicianId = "dr-kofi", slotMinutes = 15,
            hours = new[] { new { day = today.DayOfWeek.ToString().ToLowerInvariant(), start = "08:00", end = "17:00" } } }, 200);
        var appointment = await Reception.Post("/api/appointments", new { patientId = Guid.Parse(values["patients"]), clinicianId = "dr-kofi",
            start = new DateTimeOffset(today.AddHours(15), TimeSpan.Zero), durationMinutes = 30, reason = "Review" }, 201);
        values["appointments"] = values["Appointment"] = appointment.Id.ToString();
        values["clinicianId"] = "dr-kofi";
        values["date"] = today.ToString("yyyy-MM-dd");
        return values;
    }

    /// <summary>Every /api and /fhir GET of the OpenAPI document, with its operation.</summary>
    protected async Task<List<(string Route, JsonNode Operation)>> Gets()
    {
        var document = JsonNode.Parse((await App.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText())!;
        return document["paths"]!.AsObject().Where(p => (p.Key.StartsWith("/api") || p.Key.StartsWith("/fhir")) && p.Value!["get"] is not null)
            .Select(p => (p.Key, p.Value!["get"]!)).ToList();
    }

    /// <summary>The route with its parameters filled from the chart, and the query values the chart has.</summary>
    protected static string Url(string route, JsonNode operation, IReadOnlyDictionary<string, string> values)
    {
        // The shared headers are $refs without "in": never query parameters.
        var query = string.Join('&', (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]?.ToString() == "query" &&
                values.ContainsKey(p["name"]!.ToString()))
            .Select(p => $"{p!["name"]}={Uri.EscapeDataString(values[p["name"]!.ToString()])}"));
        return Fill(route, values) + (query == "" ? "" : "?" + query);
    }
}
