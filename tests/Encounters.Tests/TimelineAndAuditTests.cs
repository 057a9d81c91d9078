using System.Text.Json;
using Alba;
using Encounters.Audit;
using Encounters.Timeline;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Encounters.Tests;

/// <summary>The read side that clinicians and auditors rely on: timelines, the audit trail and its tamper evidence.</summary>
[Collection(ApiCollection.Name)]
public partial class TimelineAndAuditTests(AppFixture app) : ClinicTest(app)
{

    private async Task<(Guid Patient, Guid Encounter, Guid Item)> FullVisit()
    {
        var patient = await TestData.RegisterPatient(Reception);
        var encounter = (await Reception.Post("/api/encounters", new { patientId = patient, reason = "Thirst and fatigue" }, 201)).Id;
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Nurse.Post($"/api/encounters/{encounter}/vitals", new { systolicBp = 150, diastolicBp = 95 }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        var order = await Doctor.Post("/api/orders", new { encounterId = encounter, priority = "stat", items = new[] { new { serviceCode = "GLU" } } }, 201);
        var item = ItemIds(order).Single();
        await ReleasedResult(order.Id, item, "2345-7", 640m);
        await Doctor.Post($"/api/lab/results/{item}/acknowledge", new { note = "Admitting." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/assessment", new { text = "New diabetes, hyperglycaemia." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/documentation/plan", new { text = "Admit." }, 200);
        await Doctor.Post($"/api/encounters/{encounter}/close", new { disposition = "admitted" }, 200);
        return (patient, encounter, item);
    }

    private static readonly string[] VisitKinds =
    [
        "encounter.planned", "encounter.checked-in", "vitals.recorded", "consult.started", "order.placed", "sample.collected",
        "sample.received", "result.entered", "result.verified", "result.released", "result.acknowledged", "note.recorded",
        "note.recorded", "encounter.closed",
    ];

    [Fact]
    public async Task a_visit_nobody_attends_yet_has_a_timeline()
    {
        var patient = await TestData.RegisterPatient(Reception);
        var encounter = (await Reception.Post("/api/encounters", new { patientId = patient, reason = "Cough" }, 201)).Id;
        await app.CaughtUp();

        var entries = (await Doctor.Get($"/api/encounters/{encounter}/timeline", 200)).As<Page<TimelineEntry>>().Items;
        entries.Select(e => e.Kind).ShouldBe(["encounter.planned"]);
    }

    [Fact]
    public async Task a_full_visit_produces_its_timeline_in_order_with_actors_and_sources()
    {
        var (_, encounter, item) = await Settled(FullVisit);

        // The visit's facts in order, and the two charges billing captured from them (consult, released test), which
        // arrive as durable messages and so land between them wherever their handling happened to come.
        var timeline = await Doctor.Get($"/api/encounters/{encounter}/timeline?pageSize=100", 200);
        var entries = timeline.As<Page<TimelineEntry>>().Items;
        entries.Select(e => e.Kind).Where(k => !k.StartsWith("charge.")).ShouldBe(VisitKinds);
        entries.Count(e => e.Kind == "charge.captured").ShouldBe(2);
        entries.Count.ShouldBe(VisitKinds.Length + 2);
        entries.Select(e => e.Sequence).ShouldBeInOrder();

        var released = entries.Single(e => e.Kind == "result.released");
        released.Summary.ShouldContain("CRITICAL");
        released.StreamId.ShouldBe(item);
        released.StreamVersion.ShouldBe(3);
        released.Actor.UserId.ShouldBe("tech-tom");
        released.Actor.Role.ShouldBe("lab_technician");

        var results = await Doctor.Get($"/api/encounters/{encounter}/timeline?kind=result", 200);
        results.As<Page<TimelineEntry>>().Items.Select(e => e.Kind)
            .ShouldBe(["result.entered", "result.verified", "result.released", "result.acknowledged"]);

        var paged = await Doctor.Get($"/api/encounters/{encounter}/timeline?pageSize=5&page=4", 200);
        paged.As<Page<TimelineEntry>>().Items.Count.ShouldBe(1); // 16 entries: three full pages and one
        await As("clinician", "dr-2", "clinic-2").Get($"/api/encounters/{encounter}/timeline", 404);
    }

    [Fact]
    public async Task every_write_and_every_chart_read_becomes_an_audit_entry()
    {
        var patient = await TestData.RegisterPatient(Reception);
        var encounter = (await Reception.Post("/api/encounters", new { patientId = patient, reason = "Check" }, 201)).Id;
        await Doctor.Get($"/api/encounters/{encounter}", 200);
        await Doctor.Get($"/api/patients/{patient}", 200);

        await AuditTrailHolds(4);
        var trail = await Auditor.Get($"/api/audit?patientId={patient}", 200);
        var entries = trail.As<Page<AuditEntry>>().Items.OrderBy(e => e.At).ToList();
        entries.Select(e => e.Action)
            .ShouldBe(["patient_registered", "encounter_planned", "read.encounter", "read.patient"]);
        var read = entries[2];
        read.UserId.ShouldBe("dr-kofi");
        read.Role.ShouldBe("clinician");
        read.FacilityId.ShouldBe("clinic-1");
        read.CorrelationId.ShouldNotBeNullOrEmpty();
        entries[0].UserId.ShouldBe("rita");
        entries[0].PreviousHash.ShouldBe("");

        (await Auditor.Get("/api/audit?userId=dr-kofi&action=read", 200)).As<Page<AuditEntry>>().Total.ShouldBe(2);
        await Doctor.Get("/api/audit", 403);
        await Reception.Get("/api/audit/verify", 403);
    }

    [Fact]
    public async Task audit_entries_carry_their_events_time_ordered_ids()
    {
        var patient = await TestData.RegisterPatient(Reception);
        var encounter = (await Reception.Post("/api/encounters", new { patientId = patient, reason = "Check" }, 201)).Id;
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        await Doctor.Get($"/api/encounters/{encounter}", 200);

        await AuditTrailHolds(4);
        var entries = (await Auditor.Get($"/api/audit?patientId={patient}", 200)).As<Page<AuditEntry>>().Items.OrderBy(e => e.Sequence).ToList();
        entries.Count.ShouldBe(4);
        // A command's events and a chart read's alike: UUIDv7, its time the event's, so ids follow the trail's order.
        static DateTimeOffset TimeOf(Guid id) => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(id.ToString("N")[..12], 16));
        foreach (var entry in entries)
        {
            entry.Id.Version.ShouldBe(7);
            (TimeOf(entry.Id) - entry.At).Duration().ShouldBeLessThan(TimeSpan.FromSeconds(5));
        }
        entries.Select(e => TimeOf(e.Id)).ShouldBeInOrder();
    }

    [Fact]
    public async Task the_audit_chain_verifies_and_a_row_edited_in_the_database_is_found()
    {
        var patient = await TestData.RegisterPatient(Reception);
        for (var i = 0; i < 3; i++) await Reception.Post("/api/encounters", new { patientId = patient, reason = $"Visit {i}" }, 201);
        await AuditTrailHolds(4);
        var trail = await Auditor.Get("/api/audit", 200);
        (await Auditor.Get("/api/audit/verify", 200)).As<ChainVerification>().Intact.ShouldBeTrue();

        var victim = trail.As<Page<AuditEntry>>().Items[2];
        // Someone with database access rewrites who did it.
        var db = app.Host.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var tamper = db.CreateCommand(
                         "update encounters.mt_doc_auditentry set data = jsonb_set(data, '{UserId}', '\"mallory\"') where id = $1 and tenant_id = $2"))
        {
            tamper.Parameters.AddWithValue(victim.Id);
            tamper.Parameters.AddWithValue(Tenant);
            (await tamper.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var verdict = (await Auditor.Get("/api/audit/verify", 200)).As<ChainVerification>();
        verdict.Intact.ShouldBeFalse();
        verdict.FirstBrokenSequence.ShouldBe(victim.Sequence);
        verdict.EntriesChecked.ShouldBe(3);
    }

    [Fact]
    public async Task the_audit_export_streams_ndjson_and_csv_for_a_period()
    {
        var patient = await TestData.RegisterPatient(Reception);
        await Reception.Post("/api/encounters", new { patientId = patient, reason = "Export me" }, 201);
        await AuditTrailHolds(2);
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));

        var ndjson = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/audit/export?from={from}&to={to}");
            s.WithRequestHeader("X-Tenant-ID", Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(Caller.Token("aud", "auditor", Tenant, ["clinic-1"]));
        });
        var lines = ndjson.ReadAsText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        JsonSerializer.Deserialize<AuditEntry>(lines[1], Bodies.Options)!.Action.ShouldBe("encounter_planned");
        await AuditTrailHolds(3); // the export itself is an audited action

        var csv = await app.Host.Scenario(s =>
        {
            s.Get.Url($"/api/audit/export?format=csv&from={from}&to={to}");
            s.WithRequestHeader("X-Tenant-ID", Tenant);
            s.WithRequestHeader("X-Facility-ID", "clinic-1");
            s.WithBearerToken(Caller.Token("aud", "auditor", Tenant, ["clinic-1"]));
        });
        var rows = csv.ReadAsText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows[0].ShouldStartWith("sequence,at,tenantId");
        rows.Length.ShouldBe(4);
        rows[3].ShouldContain("audit_trail_exported");
        await Auditor.Get("/api/audit/export?format=xml", 400);
    }
}

/// <summary>A large export is streamed from the database cursor, not built in memory.</summary>
