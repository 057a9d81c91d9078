using Marten;
using Shouldly;
namespace Encounters.Tests;

/// <summary>
/// A test in its own fresh tenant, with one user of each role at clinic-1 (the same people in every
/// test, so actors can be asserted by name).
/// </summary>
[Collection(ApiCollection.Name)]
public abstract partial class ClinicTest(AppFixture app)
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

    /// <inheritdoc cref="AppFixture.Settled{T}"/>
    protected Task<T> Settled<T>(Func<Task<T>> act) => app.Settled(act);

    /// <inheritdoc cref="AppFixture.Settled{T}"/>
    protected Task Settled(Func<Task> act) => app.Settled(act);

    /// <inheritdoc cref="AppFixture.CaughtUp"/>
    protected Task CaughtUp() => app.CaughtUp();

    /// <summary>
    /// The tenant's audit trail, once the projections have caught up, holds at least <paramref name="entries"/> entries and one for every event of the
    /// tenant (facts written in the background, such as captured charges, take their place in the chain too). Counted in
    /// the store itself: reading it through the API is itself an audited read, which would add entries of its own.
    /// </summary>
    protected async Task AuditTrailHolds(int entries)
    {
        await app.CaughtUp();
        await using var session = App.Store.QuerySession(Tenant);
        var chained = await session.Query<global::Encounters.Audit.AuditEntry>().CountAsync();
        chained.ShouldBeGreaterThanOrEqualTo(Math.Max(entries, await session.Events.QueryAllRawEvents().CountAsync()));
    }

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
        return (order.Id, ItemIds(order));
    }

    /// <summary>The item ids of a placed order, in the order its tests were asked for.</summary>
    internal static Guid[] ItemIds(Response order) => order.As<global::Encounters.Lab.LabOrderResponse>().Items.Select(i => i.ItemId).ToArray();

    protected Task<Response> Collect(Guid order, params Guid[] items) =>
        Nurse.Post("/api/lab/samples", new { orderId = order, itemIds = items, collectedAt = Now }, 201);
}
