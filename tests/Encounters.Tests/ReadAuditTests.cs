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
public class ReadAuditTests(AppFixture app) : ChartTest(app)
{
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
        await AtNoon(async () => await EveryGetIsAudited(await WithAppointment(values)));
    }

    private async Task EveryGetIsAudited(Dictionary<string, string> values)
    {
        var gets = await Gets();
        gets.Count.ShouldBeGreaterThan(15);

        var undeclared = gets.Where(g => g.Operation["x-read-audit"] is null).Select(g => g.Route).ToList();
        undeclared.ShouldBeEmpty("every GET declares [ReadsChart] or [NoPatientData]");

        foreach (var (route, operation) in gets)
        {
            var url = Url(route, operation, values);
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
