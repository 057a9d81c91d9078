using Marten;
namespace Encounters.Tests;

/// <summary>
/// A test in its own fresh tenant, with one user of each role at clinic-1 (the same people in every
/// test, so actors can be asserted by name).
/// </summary>
[Collection(ApiCollection.Name)]
public abstract class ClinicTest(AppFixture app)
{
    protected AppFixture App => app;
    protected string Tenant { get; } = TestData.NewTenant();

    protected Caller As(string role, string sub, string facility = "clinic-1") => Caller.As(app.Host, role, Tenant, facility, sub: sub);

    protected Caller Reception => As("receptionist", "rita");
    protected Caller Nurse => As("nurse", "nina");
    protected Caller Doctor => As("clinician", "dr-kofi");
    protected Caller Tech => As("lab_technician", "tech-tom");
    protected Caller Supervisor => As("lab_supervisor", "sup-sam");
    protected Caller Admin => As("facility_admin", "admin-1");
    protected Caller Auditor => As("auditor", "aud-ada");
    protected Caller TenantAdmin => As("tenant_admin", "tenant-admin-1");

    protected static string Now => DateTimeOffset.UtcNow.ToString("O");

    /// <summary>
    /// Waits until the tenant's audit trail holds at least <paramref name="entries"/> entries, looking at the store itself:
    /// reading it through the API is itself an audited read, which would add entries of its own.
    /// </summary>
    protected async Task AuditTrailHolds(int entries)
    {
        // At least that many, and every event of the tenant written so far (facts written in the background, such as
        // captured charges, take their place in the chain too).
        await using var session = App.Store.QuerySession(Tenant);
        await Eventually(async () => (Entries: await session.Query<global::Encounters.Audit.AuditEntry>().CountAsync(),
                Events: await session.Events.QueryAllRawEvents().CountAsync()),
            count => count.Entries >= Math.Max(entries, count.Events));
    }

    /// <summary>A patient checked in and seen by the doctor: the start of most clinical scenarios.</summary>
    /// <summary>A patient checked in and in consult with the doctor; with <paramref name="vitals"/>, triaged first.</summary>
    protected async Task<Guid> InConsult(object? vitals = null)
    {
        var encounter = await TestData.PlanEncounter(Reception);
        await Reception.Post($"/api/encounters/{encounter}/check-in", null, 200);
        if (vitals is not null) await Nurse.Post($"/api/encounters/{encounter}/vitals", vitals, 200);
        await Doctor.Post($"/api/encounters/{encounter}/start-consult", null, 200);
        return encounter;
    }

    /// <summary>A lab order placed by the doctor, with its item ids in the order of <paramref name="tests"/>.</summary>
    protected async Task<(Guid Order, Guid[] Items)> LabOrder(Guid encounter, params string[] tests)
    {
        var order = await Doctor.Post("/api/orders",
            new { encounterId = encounter, priority = "routine", items = tests.Select(code => new { serviceCode = code }).ToArray() }, 201);
        var items = order.Json["items"]!.AsArray().Select(i => Guid.Parse(i!["itemId"]!.ToString())).ToArray();
        return (order.Id, items);
    }

    protected Task<Response> Collect(Guid order, params Guid[] items) =>
        Nurse.Post("/api/lab/samples", new { orderId = order, itemIds = items, collectedAt = Now }, 201);

    /// <summary>Asynchronous projections and messages catch up within moments: read until done, bounded at 15 s.</summary>
    protected static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var value = await read();
            if (done(value) || attempt == 150) return value;
            await Task.Delay(100);
        }
    }
}
