using Encounters.Audit;
using Shouldly;

namespace Encounters.Tests;

/// <summary>The audit trail is as facility-scoped as the rest of the API, unless the reader is a tenant-wide auditor.</summary>
[Collection(ApiCollection.Name)]
public class AuditScopeTests(AppFixture app) : ClinicTest(app)
{
    [Fact]
    public async Task another_facilitys_auditor_or_admin_sees_none_of_this_facilitys_entries_and_a_tenant_auditor_sees_all()
    {
        await TestData.RegisterPatient(Reception);
        await TestData.RegisterPatient(As("receptionist", "rico", "clinic-2"));
        var tenantWide = As("tenant_auditor", "comp-1");
        await AuditTrailHolds(2);
        var all = await tenantWide.Get("/api/audit", 200);
        all.As<Page<AuditEntry>>().Items.Select(e => e.FacilityId).Order().ShouldBe(["clinic-1", "clinic-2"]);

        foreach (var reader in new[] { As("auditor", "aud-2", "clinic-2"), As("facility_admin", "admin-2", "clinic-2") })
        {
            var entries = (await reader.Get("/api/audit", 200)).As<Page<AuditEntry>>().Items;
            entries.Select(e => e.FacilityId).ShouldAllBe(f => f == "clinic-2");
            // Reading the audit is itself audited, so earlier readers' entries may appear; the one write must.
            entries.Count(e => !e.Action.StartsWith("read.")).ShouldBe(1);
        }

        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        var export = (await As("auditor", "aud-2", "clinic-2").Get($"/api/audit/export?from={from}&to={to}", 200)).Result.ReadAsText();
        export.ShouldNotContain("clinic-1");
        export.ShouldContain("clinic-2");
    }
}
