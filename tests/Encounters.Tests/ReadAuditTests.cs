using System.Text.Json.Nodes;
using Alba;
using Encounters.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// Every GET in the OpenAPI document declares its read audit, and every one that shows patient data records the read,
/// durably, by the time the response arrives. A new GET without a declaration fails here (and the service refuses to start).
/// </summary>
[Collection(ApiCollection.Name)]
public class ReadAuditTests(AppFixture app) : ClinicTest(app)
{
    private Caller Reader => Caller.WithRoles(App.Host, Roles.All, Tenant, "clinic-1", "reader-1");

    /// <summary>One patient's whole chart: a visit with vitals, a note, a released result and an item still to collect.</summary>
    private async Task<Dictionary<string, string>> Chart()
    {
        var encounter = await InConsult();
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 70 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "Cough." }, 200);
        var (order, items) = await LabOrder(encounter, "GLU", "CBC");
        var sample = await Collect(order, items[0]);
        await Tech.Post($"/api/lab/samples/{sample.Id}/receive", new { barcode = sample["barcode"], receivedAt = Now }, 200);
        await Tech.Post("/api/lab/results", new { orderItemId = items[0], analytes = new[] { new { code = "2345-7", value = 90m } } }, 201);
        await Supervisor.PostReviewed($"/api/lab/results/{items[0]}", "verify", 200);
        await Tech.PostReviewed($"/api/lab/results/{items[0]}", "release", 200);
        var patient = (await Doctor.Get($"/api/encounters/{encounter}", 200))["patientId"];
        await AuditTrailHolds(10);
        return new()
        {
            ["patients"] = patient, ["encounters"] = encounter.ToString(), ["orders"] = order.ToString(), ["samples"] = sample.Id.ToString(),
            ["results"] = items[0].ToString(), ["section"] = "subjective", ["barcode"] = sample["barcode"], ["stage"] = "to-collect",
            ["from"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), ["to"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
        };
    }

    /// <summary>A route's {id} is the resource its path names: /api/lab/results/{id} → results.</summary>
    private static string Fill(string route, IReadOnlyDictionary<string, string> values) =>
        string.Join('/', route.Split('/').Select((part, i) => part switch
        {
            "{id}" => values[route.Split('/')[i - 1]],
            ['{', .. var name, '}'] => values[name],
            _ => part,
        }));

    private async Task<long> Recorded(string type, string? resource = null)
    {
        await using var command = App.Host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "select count(*) from encounters.mt_events where tenant_id = $1 and type = $2 and ($3 = '' or data ->> 'Resource' = $3)");
        command.Parameters.AddWithValue(Tenant);
        command.Parameters.AddWithValue(type);
        command.Parameters.AddWithValue(resource ?? "");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task every_get_declares_its_read_audit_and_every_chart_read_is_recorded_before_the_response()
    {
        var values = await Chart();
        // Noon (UTC) today for the service, so that an appointment later today is upcoming whenever the suite runs.
        AppFixture.Clock.Offset = DateTime.UtcNow.Date.AddHours(12) - DateTime.UtcNow;
        try
        {
            await EveryGetIsAudited(await WithAppointment(values));
        }
        finally
        {
            AppFixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    /// <summary>The chart's patient booked later today, so the day list and the patient's upcoming appointments show them.</summary>
    private async Task<Dictionary<string, string>> WithAppointment(Dictionary<string, string> values)
    {
        var today = AppFixture.Clock.GetUtcNow().UtcDateTime.Date;
        await Admin.Post("/api/schedules", new { clinicianId = "dr-kofi", slotMinutes = 15,
            hours = new[] { new { day = today.DayOfWeek.ToString().ToLowerInvariant(), start = "08:00", end = "17:00" } } }, 200);
        var appointment = await Reception.Post("/api/appointments", new { patientId = Guid.Parse(values["patients"]), clinicianId = "dr-kofi",
            start = new DateTimeOffset(today.AddHours(15), TimeSpan.Zero), durationMinutes = 30, reason = "Review" }, 201);
        values["appointments"] = appointment.Id.ToString();
        values["clinicianId"] = "dr-kofi";
        values["date"] = today.ToString("yyyy-MM-dd");
        return values;
    }

    private async Task EveryGetIsAudited(Dictionary<string, string> values)
    {
        var document = JsonNode.Parse((await App.Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsText())!;
        var gets = document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api") && p.Value!["get"] is not null)
            .Select(p => (Route: p.Key, Operation: p.Value!["get"]!)).ToList();
        gets.Count.ShouldBeGreaterThan(15);

        var undeclared = gets.Where(g => g.Operation["x-read-audit"] is null).Select(g => g.Route).ToList();
        undeclared.ShouldBeEmpty("every GET declares [ReadsChart] or [NoPatientData]");

        foreach (var (route, operation) in gets)
        {
            var query = string.Join('&', (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.ToString() == "query" &&
                values.ContainsKey(p["name"]!.ToString()))
                .Select(p => $"{p!["name"]}={Uri.EscapeDataString(values[p["name"]!.ToString()])}"));
            var url = Fill(route, values) + (query == "" ? "" : "?" + query);
            var declared = operation["x-read-audit"]!;

            if (declared is JsonValue)
            {
                var body = (await Reader.Get(url, 200)).Result.ReadAsText();
                body.ShouldNotContain(values["patients"], customMessage: $"{route} declares no patient data but shows the patient");
                continue;
            }

            var resource = declared["resource"]!.ToString();
            var type = resource == "audit.export" ? "audit_trail_exported" : "chart_viewed";
            var before = await Recorded(type, type == "chart_viewed" ? resource : null);
            await Reader.Get(url, 200);
            (await Recorded(type, type == "chart_viewed" ? resource : null)).ShouldBeGreaterThan(before, $"GET {url} left no read audit");
        }
    }

    [Fact]
    public async Task another_letter_case_the_32_hex_id_and_the_note_history_are_audited_like_any_read()
    {
        var values = await Chart();
        var encounter = Guid.Parse(values["encounters"]);
        foreach (var url in new[]
                 {
                     $"/api/Encounters/{encounter}", $"/api/encounters/{encounter:N}", $"/API/ENCOUNTERS/{encounter:N}",
                     $"/api/encounters/{encounter}/documentation/subjective/versions",
                 })
        {
            var before = await Recorded("chart_viewed");
            await Doctor.Get(url, 200);
            (await Recorded("chart_viewed")).ShouldBe(before + 1, url);
        }
    }
}
