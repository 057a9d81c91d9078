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

    protected static string Now => DateTimeOffset.UtcNow.ToString("O");

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
