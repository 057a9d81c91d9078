using Encounters.Audit;
using Encounters.Scope;
using Encounters.Tasks;
using Marten;
using Encounters.Patients;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Wolverine;
using Wolverine.Tracking;

namespace Encounters.Tests;

/// <summary>Break-glass: possible, time-limited, flagged on every read, reviewed by an auditor, and ended by itself.</summary>
[Collection(ApiCollection.Name)]
public class EmergencyAccessTests(AppFixture app) : ClinicTest(app)
{
    private Caller Elsewhere => As("clinician", "dr-ama", "clinic-2");

    [Fact]
    public async Task a_clinician_elsewhere_breaks_the_glass_reads_the_chart_flagged_and_an_auditor_reviews_it()
    {
        var encounter = await InConsult();
        var patient = await PatientOf(encounter);
        await Elsewhere.Get($"/api/patients/{patient}", 404);
        await Elsewhere.Get($"/api/encounters/{encounter}", 404);

        await As("nurse", "nurse-2", "clinic-2").Post($"/api/patients/{patient}/emergency-access",
            new { reason = "life-threatening", note = "Collapsed in the waiting room" }, 403);
        await Elsewhere.Post($"/api/patients/{patient}/emergency-access", new { reason = "curiosity", note = "x" }, 400);
        await Elsewhere.Post($"/api/patients/{patient}/emergency-access", new { reason = "life-threatening" }, 400);
        var grant = await Elsewhere.Post($"/api/patients/{patient}/emergency-access",
            new { reason = "life-threatening", note = "Collapsed in the waiting room" }, 201);

        await Settled(async () =>
        {
            await Elsewhere.Get($"/api/patients/{patient}", 200);
            (await Elsewhere.Get($"/api/encounters/{encounter}", 200)).Json["vitals"].ShouldNotBeNull();
            await As("clinician", "dr-other", "clinic-2").Get($"/api/patients/{patient}", 404); // the grant is personal
        });
        var reads = (await As("tenant_auditor", "comp-1").Get($"/api/audit?userId=dr-ama&action=read", 200)).As<Page<AuditEntry>>().Items;
        reads.Count.ShouldBe(2);
        reads.ShouldAllBe(r => r.EmergencyAccess);

        var review = (await As("auditor", "aud-2", "clinic-2").Get("/api/tasks?pageSize=100", 200)).As<Page<TaskView>>().Items
            .Single(t => t.Task.Kind == "review-emergency-access").Task;
        review.Title.ShouldContain("Collapsed in the waiting room");
        await As("auditor", "aud-2", "clinic-2").Post($"/api/tasks/{review.Id}/complete", new { note = "Justified" }, 200);
        grant.As<EmergencyAccessGrant>().ExpiresAt.ShouldNotBe(default);
    }

    [Fact]
    public async Task the_grant_ends_by_itself_through_a_durable_scheduled_message()
    {
        var encounter = await Settled(() => InConsult()); // billing's consult charge is written in the background
        var patient = await PatientOf(encounter);
        var grant = await Elsewhere.Post($"/api/patients/{patient}/emergency-access",
            new { reason = "unconscious-patient", note = "Brought in unconscious" }, 201);

        // The expiry waits in the durable inbox, so any node running at that time carries it out.
        var db = App.Host.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var scheduled = db.CreateCommand(
                         "select count(*) from encounters.wolverine_incoming_envelopes where message_type like '%ExpireEmergencyAccess%' and status = 'Scheduled'"))
            ((long)(await scheduled.ExecuteScalarAsync())!).ShouldBeGreaterThanOrEqualTo(1);

        // Past its hour the grant no longer opens the chart, even before the message has run.
        AppFixture.Clock.Offset = TimeSpan.FromMinutes(61);
        try { await Elsewhere.Get($"/api/patients/{patient}", 404); }
        finally { AppFixture.Clock.Offset = TimeSpan.Zero; }
        await Elsewhere.Get($"/api/patients/{patient}", 200);

        // When the message runs, the grant is recorded as expired and opens nothing more.
        await App.Host.ExecuteAndWaitAsync(bus => bus.InvokeForTenantAsync(Tenant,
            new ExpireEmergencyAccess(grant.Id, patient, grant.As<EmergencyAccessGrant>().ExpiresAt)));
        await Settled(() => Elsewhere.Get($"/api/patients/{patient}", 404));
        await AuditTrailHolds(9); // 4 writes, the doctor's read, the grant, two reads under it, the expiry
        (await As("tenant_auditor", "comp-1").Get("/api/audit?action=emergency_access_expired", 200)).As<Page<AuditEntry>>().Total.ShouldBe(1);
    }
}
