using Npgsql;

namespace Encounters.Load;

/// <summary>
/// What the machine spent up to a moment: CPU time of the service, of PostgreSQL (the postmaster and its
/// backends, exited ones included) and of this generator, and PostgreSQL's statement and transaction
/// counts. The difference of two snapshots, divided by the commands in between, is what a command costs.
/// Write transactions: transaction ids assigned (the next xid of a snapshot). PostgreSQL gives a transaction an id only
/// when it writes or locks a row, so read-only transactions (and these snapshots) do not count, aborted writers do.
/// WAL bytes: pg_stat_wal.wal_bytes, for the whole cluster (the bench owns it).
/// </summary>
public sealed record Cost(double ServiceCpuMs, double PostgresCpuMs, double LoadCpuMs, long Statements, long Transactions, long Buffers = 0,
    long WriteTransactions = 0, long WalBytes = 0)
{
    private const double MsPerTick = 10; // USER_HZ is 100 on Linux

    public static async Task<Cost> Take(Options options)
    {
        var (writes, wal) = await WriteTransactionsAndWal(options);
        await using var db = NpgsqlDataSource.Create(options.Database);
        // pg_stat_statements is loaded by make bench; without it the statement count stays 0. Not counted as statements: the
        // bodies of Marten's mt_immutable_timestamptz and mt_immutable_date, which autovacuum's ANALYZE runs once a row for each expression index over
        // it (thousands of calls in whichever level it lands in; their CPU still counts in PostgreSQL's).
        await using var cmd = db.CreateCommand("""
            select coalesce((select sum(calls)::bigint from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
                             and query !~ '^\s*select value::(timestamptz|date)\s*$'), 0),
                   (select xact_commit + xact_rollback from pg_stat_database where datname = current_database()),
                   coalesce((select sum(shared_blks_hit + shared_blks_read)::bigint from pg_stat_statements
                             where dbid = (select oid from pg_database where datname = current_database())), 0)
            """);
        long statements = 0, transactions = 0, buffers = 0;
        try
        {
            await using var reader = await cmd.ExecuteReaderAsync();
            if (await reader.ReadAsync()) (statements, transactions, buffers) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { }

        return new Cost(OwnTicks(options.ServicePid) * MsPerTick, PostgresTicks(options.PostmasterPid) * MsPerTick,
            System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds, statements, transactions, buffers, writes, wal);
    }

    private static async Task<(long, long)> WriteTransactionsAndWal(Options options)
    {
        await using var db = NpgsqlDataSource.Create(options.Database);
        await using var cmd = db.CreateCommand(
            "select pg_snapshot_xmax(pg_current_snapshot())::text::bigint, (select wal_bytes from pg_stat_wal)::bigint");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public Cost Minus(Cost earlier) => new(ServiceCpuMs - earlier.ServiceCpuMs, PostgresCpuMs - earlier.PostgresCpuMs,
        LoadCpuMs - earlier.LoadCpuMs, Statements - earlier.Statements, Transactions - earlier.Transactions, Buffers - earlier.Buffers,
        WriteTransactions - earlier.WriteTransactions, WalBytes - earlier.WalBytes);

    /// <summary>utime + stime (+ cutime + cstime for the postmaster, which reaps exited backends).</summary>
    private static long OwnTicks(int pid, bool withChildren = false)
    {
        var fields = StatFields(pid);
        if (fields is null) return 0;
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return withChildren ? ticks + long.Parse(fields[13]) + long.Parse(fields[14]) : ticks;
    }

    private static long PostgresTicks(int postmaster)
    {
        if (postmaster == 0) return 0;
        var total = OwnTicks(postmaster, withChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && StatFields(pid) is { } f && f[1] == postmaster.ToString())
                total += OwnTicks(pid);
        return total;
    }

    /// <summary>The fields of /proc/PID/stat after the command name: [0] is the state, [1] the parent, [11] utime.</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
