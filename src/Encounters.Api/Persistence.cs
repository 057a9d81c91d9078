using Encounters.Encounters;
using Encounters.Patients;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Npgsql;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Encounters;

/// <summary>Marten (event store + documents) and Wolverine (handlers, durable outbox) on one PostgreSQL.</summary>
public static class Persistence
{
    public const string Schema = "encounters";

    public static void AddPersistence(this WebApplicationBuilder builder)
    {
        // Defaults first, so that the operator's connection string overrides them (the last keyword wins).
        // Measured with make bench and pg_stat_statements: without No Reset On Close every pooled connection use
        // cost a DISCARD ALL round trip, which also threw away prepared statements (nothing here relies on
        // per-connection session state). A pool of at most 32 per node: at 64 users a pool of 100 left as many
        // PostgreSQL backends, each with its own caches and prepared statements, and PostgreSQL's CPU per command
        // doubled for as long as they lived.
        var dataSource = new NpgsqlDataSourceBuilder(
            "No Reset On Close=true;Max Auto Prepare=200;Maximum Pool Size=32;Connection Idle Lifetime=60;" +
            ConnectionString(builder.Configuration)).Build();
        builder.Services.AddSingleton(dataSource);
        var auditSeal = Audit.AuditSeal.From(builder.Configuration);
        builder.Services.AddSingleton(auditSeal);

        JasperFx.Events.Daemon.TransientFailures.AddClassifier(Observability.DatabaseOutage.IsTransientShardFailure);
        builder.Services.AddMarten(opts =>
            {
                opts.Connection(dataSource);
                opts.DatabaseSchemaName = Schema;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);

                // Every stream and document belongs to one tenant, enforced in the database.
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();

                // Who did what, from where, on whose behalf: stored with every event.
                opts.Events.MetadataConfig.HeadersEnabled = true;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.UserNameEnabled = true;

                // The async daemon polls every 100 ms instead of waking on a NOTIFY per append: each wake costs a
                // high-water query and a transaction per projection shard, so waking per append spread that fixed cost
                // over one command; a poll spreads it over every command of the last 100 ms (make bench, issue 18).
                opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
                opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(100);

                // A lost optimistic race must not burn an event sequence number: a gap stalls the async
                // daemon until it gives up on it (seen in make bench as a 2 s lag spike).
                opts.Events.UseExclusiveLockOnConcurrentAppends = true;
                opts.Listeners.Add(new TimeOrderedEventIds());

                Sequences.Configure(opts);
                Patients.PatientsModule.Configure(opts);
                Scope.EmergencyAccessGrant.Configure(opts);
                Security.StaffingRules.Configure(opts);
                Encounters.EncountersModule.Configure(opts);
                Lab.LabModule.Configure(opts);
                Medications.PrescriptionSchema.Configure(opts);
                Timeline.TimelineProjection.Configure(opts);
                Audit.AuditProjection.Configure(opts, auditSeal, dataSource);
                Tasks.TaskProjection.Configure(opts);
                Scheduling.AppointmentSchema.Configure(opts);
                Billing.BillingSchema.Configure(opts);
                Imaging.ImagingModule.Configure(opts);
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(integration =>
            {
                // Async projections are spread over the running nodes by Wolverine, not Marten's hot/cold election.
                integration.UseWolverineManagedEventSubscriptionDistribution = true;
            });

        builder.Host.UseWolverine(opts =>
        {
            // Handlers and endpoints live here, whichever assembly hosts the service (tests included).
            opts.ApplicationAssembly = typeof(Persistence).Assembly;
            opts.Policies.AutoApplyTransactions();

            // Cross-module messages (a released lab report reaching its encounter) are persisted with the
            // command that caused them and survive a crash; a lost race on the target stream is retried.
            opts.Policies.UseDurableLocalQueues();
            opts.OnException<JasperFx.ConcurrencyException>()
                .Or<Marten.Exceptions.ExistingStreamIdCollisionException>()
                .Or<Marten.Exceptions.MartenCommandException>(e => e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                .RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250),
                    TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
            // A database restart is no reason to dead-letter a message (make chaos saw one moved to the error queue on
            // "Failed to connect"). Retry here, then later from the durable inbox.
            opts.OnException(Observability.DatabaseOutage.Is, "database unavailable")
                .RetryWithCooldown(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2))
                .Then.ScheduleRetry(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
            opts.Durability.EnableDeduplicatedResponses = true;
            // The plumbing tables otherwise only grow: each has a window (Limits), reaped on Wolverine's timers.
            opts.Durability.DeduplicationWindow = Requests.Limits.IdempotentResponses;
            opts.Durability.KeepAfterMessageHandling = Requests.Limits.HandledEnvelopes;
            opts.Durability.DeadLetterQueueExpirationEnabled = true;
            opts.Durability.DeadLetterQueueExpiration = Requests.Limits.DeadLetters;

            // Development compiles handlers at run time; everywhere else loads the checked-in
            // pre-generated code (src/Encounters.Api/Internal/Generated), so no request pays for Roslyn.
            opts.CodeGeneration.TypeLoadMode = builder.Environment.IsDevelopment()
                ? TypeLoadMode.Dynamic
                : TypeLoadMode.Auto;

            // `make run` is one node: skip the leader election that spreads agents (async projections)
            // over a cluster, so projections start at once. Production nodes balance them.
            if (builder.Environment.IsDevelopment()) opts.Durability.Mode = DurabilityMode.Solo;

            // Several nodes: a node that dies (kill -9) keeps its projection agents until its peers see its
            // heartbeat as stale, and a shard paused by a database restart waits for a health check to restart it.
            // With Wolverine's defaults (heartbeat every 10 s, stale after 1 min, restart back-off up to 5 min) make
            // chaos saw a projection stand still for about 70 s after the kill. A heartbeat and health check is one
            // small query per node.
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(2);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(10);
            opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(10);
            opts.Durability.TransientFailureRestartMaxBackoff = TimeSpan.FromSeconds(10);
            // A projection agent whose start falls into a database restart failed its 3 quick attempts (57P03, then
            // connection refused), and the leader then waits up to AgentProgressStallTimeout (5 min) before re-deciding:
            // make chaos with the defaults saw AuditTrail not started 150 s later. Ten attempts, 250 ms x attempt apart,
            // outlast a restart (about 14 s); a start that still fails is re-decided after 30 s.
            opts.Durability.AgentStartRetryAttempts = 10;
            opts.Durability.AgentProgressStallTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddSerializedSchemaSetup();
    }

    /// <summary>
    /// The connection string: <c>ConnectionStrings:Encounters</c>, or <c>DATABASE_URL</c> as a
    /// postgres:// URL or an Npgsql keyword string.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString("Encounters") ?? configuration["DATABASE_URL"];
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__Encounters or DATABASE_URL (make run starts a local one).");

        if (!value.StartsWith("postgres://") && !value.StartsWith("postgresql://")) return value;

        var url = new Uri(value);
        var userInfo = url.UserInfo.Split(':', 2);
        var csb = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
            Username = Uri.UnescapeDataString(userInfo[0]),
        };
        if (userInfo.Length > 1) csb.Password = Uri.UnescapeDataString(userInfo[1]);
        // ?sslmode=require and friends are kept: libpq's names become Npgsql's keywords, others pass as they are.
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var setting = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            key = LibpqKeywords.GetValueOrDefault(key.ToLowerInvariant(), key);
            // libpq's verify-full is Npgsql's VerifyFull.
            csb[key] = key == "SSL Mode" ? setting.Replace("-", "") : setting;
        }
        return csb.ConnectionString;
    }

    private static readonly Dictionary<string, string> LibpqKeywords = new()
    {
        ["sslmode"] = "SSL Mode", ["sslrootcert"] = "Root Certificate", ["sslcert"] = "SSL Certificate", ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password", ["application_name"] = "Application Name", ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes", ["options"] = "Options",
    };
}
