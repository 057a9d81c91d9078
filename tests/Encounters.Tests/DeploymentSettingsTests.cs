using System.Net.Sockets;
using Encounters.Observability;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Shouldly;

namespace Encounters.Tests;

/// <summary>Settings that operators pass in, and how a database outage is told apart from a bug. No database needed.</summary>
public class DeploymentSettingsTests
{
    private static NpgsqlConnectionStringBuilder FromDatabaseUrl(string url) =>
        new(Persistence.ConnectionString(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DATABASE_URL"] = url }).Build()));

    [Fact]
    public void database_url_keeps_its_query_string()
    {
        var csb = FromDatabaseUrl("postgres://app:s%3Acret@db.example:6543/encounters?sslmode=verify-full&application_name=encounters-2&Maximum%20Pool%20Size=20");
        (csb.Host, csb.Port, csb.Database, csb.Username, csb.Password).ShouldBe(("db.example", 6543, "encounters", "app", "s:cret"));
        csb.SslMode.ShouldBe(SslMode.VerifyFull);
        csb.ApplicationName.ShouldBe("encounters-2");
        csb.MaxPoolSize.ShouldBe(20);
    }

    [Fact]
    public void database_url_with_sslmode_require_requires_ssl() =>
        FromDatabaseUrl("postgresql://app@db.example/encounters?sslmode=require").SslMode.ShouldBe(SslMode.Require);

    [Fact]
    public void a_lost_connection_or_a_restarting_database_is_an_outage_and_a_constraint_is_not()
    {
        DatabaseOutage.Is(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))).ShouldBeTrue();
        DatabaseOutage.Is(new InvalidOperationException("wrapped", new PostgresException("terminating connection", "FATAL", "FATAL", "57P01"))).ShouldBeTrue();
        DatabaseOutage.Is(new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")).ShouldBeTrue();
        DatabaseOutage.Is(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")).ShouldBeFalse();
        DatabaseOutage.Is(new InvalidOperationException("a bug")).ShouldBeFalse();
    }

    [Fact]
    public void a_projection_shard_cut_off_by_a_database_restart_is_restarted_and_one_failing_on_a_bug_is_not()
    {
        DatabaseOutage.IsTransientShardFailure(new TaskCanceledException()).ShouldBe(true);
        DatabaseOutage.IsTransientShardFailure(new PostgresException("terminating connection", "FATAL", "FATAL", "57P01")).ShouldBe(true);
        DatabaseOutage.IsTransientShardFailure(new InvalidOperationException("a bug")).ShouldBeNull();
    }
}
