using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Encounters.Tests;

[Collection(ApiCollection.Name)]
public class AuditExportVolumeTests(AppFixture app)
{
    [Fact]
    public async Task ten_thousand_audit_entries_stream_out_in_order()
    {
        var tenant = TestData.NewTenant();
        var start = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var entries = Enumerable.Range(1, 10_000).Select(i => new global::Encounters.Audit.AuditEntry
        {
            Id = Guid.NewGuid(), Sequence = i, At = start.AddSeconds(i), TenantId = tenant, FacilityId = "clinic-1", UserId = $"user-{i % 17}",
            UserName = "Bulk", Role = "nurse", Action = "vital_signs_recorded", StreamId = Guid.NewGuid(), StreamVersion = 1,
            PreviousHash = "x", Hash = "y",
        }).ToList();
        await app.Store.BulkInsertAsync(tenant, entries);

        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/audit/export?from=2001-01-01T00:00:00Z&to=2001-12-31T00:00:00Z");
            s.WithRequestHeader("X-Tenant-ID", tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(Caller.Token("aud", "auditor", tenant, ["clinic-1"]));
            s.StatusCodeShouldBe(200);
        });

        result.Context.Response.Headers.ContentLength.ShouldBeNull(); // streamed, not buffered to a known length
        var lines = result.ReadAsText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(10_000);
        System.Text.Json.JsonSerializer.Deserialize<global::Encounters.Audit.AuditEntry>(lines[^1], Bodies.Options)!.Sequence.ShouldBe(10_000);
    }
}
