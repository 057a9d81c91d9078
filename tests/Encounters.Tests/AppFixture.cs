using Alba;
using Encounters.Security;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Tracking;

namespace Encounters.Tests;

/// <summary>
/// One real service per test run, in Development, against the PostgreSQL that <c>make test</c> starts
/// (<c>ConnectionStrings__Encounters</c>). Tests isolate themselves by tenant instead of wiping data.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-for-encounters-0123456789abcdef";
    public const string AuditSealKey = "test-audit-seal-key-kept-outside-the-database-0123";

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>The service's clock; tests move it forward to see what time does (overdue tasks).</summary>
    public static readonly TestClock Clock = new();

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Encounters")
        ?? Environment.GetEnvironmentVariable("DATABASE_URL")
        ?? throw new InvalidOperationException(
            "Tests need a real PostgreSQL: run them with `make test`, or set ConnectionStrings__Encounters.");

    public async ValueTask InitializeAsync()
    {
        Host = await StartAsync("Development");
    }

    /// <summary>
    /// A host against the suite's database. Only the shared host runs agents (async projections, scheduled messages):
    /// a second, short-lived host (<paramref name="runsAgents"/> false) would otherwise take them over and leave with them.
    /// <paramref name="settings"/> override the test defaults (e.g. an OpenID Connect authority).
    /// </summary>
    public static Task<IAlbaHost> StartAsync(string environment, bool runsAgents = true, IReadOnlyDictionary<string, string>? settings = null) =>
        AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment(environment);
            // Npgsql's own pool size here: the whole suite shares one host, and with the service's default of 32
            // one run in four saw the async projections make no progress for 30 s (not diagnosed yet).
            builder.UseSetting("ConnectionStrings:Encounters",
                ConnectionString.Contains("://") ? ConnectionString : ConnectionString + ";Maximum Pool Size=100");
            builder.UseSetting("Auth:SigningKey", SigningKey);
            builder.UseSetting("Audit:SealKey", AuditSealKey);
            builder.UseSetting("Auth:Issuer", DevTokens.Issuer);
            // A reverse proxy that ProxyTests trusts; no other test sends X-Forwarded-For.
            builder.UseSetting("ForwardedHeaders:KnownProxies:0", ProxyTests.TrustedProxy);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                if (runsAgents) services.RunWolverineInSoloMode();
                else services.ConfigureWolverine(opts => opts.Durability.Mode = DurabilityMode.Serverless);
                services.DisableAllExternalWolverineTransports();
            });
        });

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>
    /// Generous: a tracked session ends as soon as its work is done, this only bounds a hang. The act itself runs inside
    /// the session, and a whole visit took over 30 s on a 2-core machine shared by four test runs (load average 23).
    /// </summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Runs <paramref name="act"/> (HTTP calls) in a Wolverine tracked session and returns once everything it set off has
    /// finished: every message it caused (cross-module facts, read audit) handled, then the async projections (timeline,
    /// tasks, audit trail) caught up with the event store. A test then reads once and asserts.
    /// </summary>
    public async Task<T> Settled<T>(Func<Task<T>> act)
    {
        var result = default(T)!;
        await Host.TrackActivity(SettleTimeout)
            .WaitForNonStaleDaemonDataAfterExecution(SettleTimeout)
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => result = await act()));
        return result;
    }

    public Task Settled(Func<Task> act) => Settled(async () => { await act(); return true; });

    /// <summary>The async projections caught up with every event written so far (work that sent no message).</summary>
    public Task CaughtUp() => Store.WaitForNonStaleProjectionDataAsync(SettleTimeout);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}

public sealed class TestClock : TimeProvider
{
    public TimeSpan Offset { get; set; }
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "api";
}
