using System.Text.Json.Nodes;
using Encounters.Audit;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

namespace Encounters.Tests;

/// <summary>
/// Someone with write access to the database edits, deletes, inserts or re-hashes, and verify names the first broken
/// sequence each time. Each test is its own tenant, so it tampers with nothing another test reads.
/// </summary>
[Collection(ApiCollection.Name)]
public class AuditTamperTests(AppFixture app) : ClinicTest(app)
{
    private NpgsqlDataSource Db => App.Host.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>A visit with vitals (pulse 70) and more after it, all chained, and a signed checkpoint exported.</summary>
    private async Task<(long VitalsSequence, JsonNode Checkpoint)> AuditedVisit()
    {
        // The consult's charge is captured in the background (a durable message): the chain is complete once it is there.
        await Settled(async () =>
        {
            var encounter = await TestData.PlanEncounter(Reception);
            await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
            await Nurse.Post($"/api/encounters/{encounter}/vitals", new { pulse = 70 }, 200);
            await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
            await Doctor.Post($"/api/encounters/{encounter}/documentation/subjective", new { text = "Cough." }, 200);
        });
        (await Scalar<long>("select count(*) from encounters.mt_events where tenant_id = $1 and type = 'charge_item_captured'")).ShouldBe(1);

        var events = await Scalar<long>("select count(*) from encounters.mt_events where tenant_id = $1");
        await AuditTrailHolds((int)events);
        var checkpoint = (await Auditor.Post("/api/audit/checkpoints", null, 201)).Json;
        return (await Scalar<long>("select seq_id from encounters.mt_events where tenant_id = $1 and type = 'vital_signs_recorded'"), checkpoint);
    }

    private async Task<T> Scalar<T>(string sql, params object[] more)
    {
        await using var command = Db.CreateCommand(sql);
        command.Parameters.AddWithValue(Tenant);
        foreach (var value in more) command.Parameters.AddWithValue(value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> Execute(string sql, params object[] more)
    {
        await using var command = Db.CreateCommand(sql);
        command.Parameters.AddWithValue(Tenant);
        foreach (var value in more) command.Parameters.AddWithValue(value);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task BrokenAt(long sequence)
    {
        var verdict = await Verify();
        verdict.Intact.ShouldBeFalse(verdict.ToString());
        verdict.FirstBrokenSequence.ShouldBe(sequence, verdict.ToString());
    }

    /// <summary>The verdict on the whole chain, or (<paramref name="query"/>) an incremental one.</summary>
    private async Task<ChainVerification> Verify(string query = "") =>
        (await Auditor.Get($"/api/audit/verify{query}", 200)).As<ChainVerification>();

    /// <summary>The verdict on the chain up to an exported checkpoint, posted back as it was kept.</summary>
    private async Task<ChainVerification> VerifyAgainst(JsonNode checkpoint) =>
        (await Auditor.Post("/api/audit/verify", checkpoint, 200)).As<ChainVerification>();

    private Task<int> EditPulse() => Execute(
        "update encounters.mt_events set data = jsonb_set(data, '{Vitals,Pulse}', '190') where tenant_id = $1 and type = 'vital_signs_recorded'");

    [Fact]
    public async Task the_untouched_chain_verifies_against_the_event_store_its_seals_and_an_exported_checkpoint()
    {
        var (_, checkpoint) = await AuditedVisit();
        var verdict = await Verify();
        verdict.Intact.ShouldBeTrue(verdict.ToString());
        verdict.Sealed.ShouldBeTrue();
        verdict.CheckpointsChecked.ShouldBe(1);
        (await VerifyAgainst(checkpoint)).Intact.ShouldBeTrue();

        (await Auditor.Get("/api/audit/checkpoints", 200)).As<AuditCheckpoint[]>().Length.ShouldBe(1);
        var forged = checkpoint.DeepClone();
        forged["chainHash"] = new string('0', 64);
        (await VerifyAgainst(forged)).Intact.ShouldBeFalse();
    }

    [Fact]
    public async Task an_incremental_verify_walks_only_what_follows_the_last_intact_verify_and_the_full_one_still_finds_older_edits()
    {
        var (vitals, _) = await AuditedVisit();
        var whole = await Verify();
        whole.Intact.ShouldBeTrue(whole.ToString());
        var entries = whole.EntriesChecked;

        await EditPulse();
        await Reception.Post($"/api/encounters/{await TestData.PlanEncounter(Reception)}/check-in", null, 200);
        var events = await Scalar<long>("select count(*) from encounters.mt_events where tenant_id = $1");
        await AuditTrailHolds((int)events);

        var since = await Verify("?incremental=true");
        since.Intact.ShouldBeTrue(since.ToString());
        since.VerifiedAfterSequence.ShouldNotBeNull(since.ToString());
        since.EntriesChecked.ShouldBe(events - entries, since.ToString());
        await BrokenAt(vitals);
    }

    [Fact]
    public async Task an_event_whose_data_was_edited_is_found()
    {
        var (vitals, _) = await AuditedVisit();
        (await EditPulse()).ShouldBe(1);
        await BrokenAt(vitals);
    }

    [Fact]
    public async Task a_deleted_event_row_is_found()
    {
        var (vitals, _) = await AuditedVisit();
        (await Execute("delete from encounters.mt_events where tenant_id = $1 and seq_id = $2", vitals)).ShouldBe(1);
        await BrokenAt(vitals);
    }

    [Fact]
    public async Task a_forged_row_inserted_into_the_history_is_found()
    {
        // A number the sequence handed out but no event kept (as a failed transaction leaves), then more history after it.
        var gap = await Scalar<long>("select nextval('encounters.mt_events_sequence') + 0 * length($1)");
        var (vitals, _) = await AuditedVisit();
        (await Execute("""
            insert into encounters.mt_events
            select (jsonb_populate_record(e, jsonb_build_object('seq_id', $3::bigint, 'id', gen_random_uuid(), 'version', 999))).*
            from encounters.mt_events e where e.tenant_id = $1 and e.seq_id = $2
            """, vitals, gap)).ShouldBe(1);
        await BrokenAt(gap);
    }

    [Fact]
    public async Task a_chain_recomputed_without_the_key_is_found_by_its_seals_and_by_the_exported_checkpoint()
    {
        var (vitals, checkpoint) = await AuditedVisit();
        await EditPulse();

        // The attacker re-hashes the edited event's entry and every entry after it, as the projection would.
        await using var session = App.Store.QuerySession(Tenant);
        var entries = await session.Query<AuditEntry>().OrderBy(a => a.Sequence).ToListAsync();
        var content = await EventContent.LoadAsync(Db, [vitals], CancellationToken.None);
        var previous = "";
        foreach (var entry in entries)
        {
            if (entry.Sequence == vitals) entry.ContentHash = content[vitals].Hash;
            entry.PreviousHash = previous;
            entry.Hash = entry.ComputeHash();
            previous = entry.Hash;
            await Execute("""
                update encounters.mt_doc_auditentry set data = data || jsonb_build_object('ContentHash', $3::text, 'PreviousHash', $4::text, 'Hash', $5::text)
                where tenant_id = $1 and id = $2
                """, entry.Id, entry.ContentHash, entry.PreviousHash, entry.Hash);
        }

        await BrokenAt(vitals);
        (await VerifyAgainst(checkpoint)).Intact.ShouldBeFalse();
    }
}
