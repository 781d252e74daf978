using Dapper;
using Moderator.Testing;
using Npgsql;

namespace Moderator.Worker.Tests.Hosting;

public sealed class WorkerProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _logs = Path.Combine(Path.GetTempPath(), "moderator-logs-" + Guid.NewGuid().ToString("N"));
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresCluster.CreateDatabaseAsync("workers");

    public async Task DisposeAsync()
    {
        await PostgresCluster.DropDatabaseAsync(_database);
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }

    private Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Moderator"] = _database,
            ["Worker__HeartbeatInterval"] = "00:00:01",
            ["Worker__ClusterCheckinInterval"] = "00:00:01",
            ["Logging__Directory"] = _logs,
        };
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }

    [Fact]
    public async Task Two_worker_processes_form_one_cluster_and_one_keeps_running_when_the_other_stops()
    {
        await using var first = ModeratorProcess.Start(Environment(), "run");
        await using var second = ModeratorProcess.Start(Environment(), "run");
        await using var connection = new NpgsqlConnection(_database);

        await Eventually.HoldsAsync(async () => await CountAsync(connection, "SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'moderator'") == 2,
            Deadline, "Quartz's scheduler-state table shows two nodes");
        await Eventually.HoldsAsync(async () => await CountAsync(connection, "SELECT count(*) FROM worker_nodes WHERE process_id > 0") == 2,
            Deadline, "both processes have recorded themselves in worker_nodes");
        var nodes = (await connection.QueryAsync<string>("SELECT instance_name FROM qrtz_scheduler_state")).ToList();
        await Eventually.HoldsAsync(async () => await CountAsync(connection, "SELECT count(*) FROM worker_nodes WHERE last_seen_at > started_at") == 2,
            Deadline, "the heartbeat has recorded a later check-in for both nodes");

        await first.TerminateAsync();
        Assert.Equal(0, await first.WaitForExitAsync(Deadline));

        var survivorCheckin = await connection.QuerySingleAsync<long>("SELECT max(last_checkin_time) FROM qrtz_scheduler_state");
        await Eventually.HoldsAsync(async () => await connection.QuerySingleAsync<long>("SELECT max(last_checkin_time) FROM qrtz_scheduler_state") > survivorCheckin,
            Deadline, "the remaining node keeps checking in");
        Assert.False(second.HasExited, second.StandardError);
        Assert.Equal(2, nodes.Distinct().Count());
    }

    [Fact]
    public async Task Two_migrate_commands_at_once_end_in_the_same_schema_version()
    {
        await using var first = ModeratorProcess.Start(Environment(), "migrate");
        await using var second = ModeratorProcess.Start(Environment(), "migrate");

        Assert.Equal(0, await first.WaitForExitAsync(Deadline));
        Assert.Equal(0, await second.WaitForExitAsync(Deadline));

        var expected = $"Database schema is at version {Core.Storage.MigrationRunner.Embedded[^1].Version}.";
        Assert.Contains(expected, first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(expected, second.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_worker_with_one_message_naming_it()
    {
        await using var worker = ModeratorProcess.Start(Environment(("Worker__HeartbeatInterval", "00:00:00")), "run");

        Assert.Equal(2, await worker.WaitForExitAsync(Deadline));
        var message = Assert.Single(worker.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Worker:HeartbeatInterval", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_postgres_binaries_stop_the_command_with_the_install_hint()
    {
        var environment = new Dictionary<string, string>
        {
            ["EmbeddedPostgres__BinDirectory"] = Path.Combine(_logs, "no-postgres-here"),
            ["EmbeddedPostgres__DataDirectory"] = Path.Combine(_logs, "data"),
            ["Logging__Directory"] = _logs,
        };
        await using var migrate = ModeratorProcess.Start(environment, "migrate");

        Assert.Equal(3, await migrate.WaitForExitAsync(Deadline));
        Assert.Contains("apt-get install -y postgresql", migrate.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        await using var help = ModeratorProcess.Start(new Dictionary<string, string>(), "--help");

        Assert.Equal(0, await help.WaitForExitAsync(Deadline));
        foreach (var command in new[] { "run", "migrate", "demo", "--connection" })
        {
            Assert.Contains(command, help.StandardOutput, StringComparison.Ordinal);
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        try
        {
            return await connection.QuerySingleAsync<long>(sql);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0; // not provisioned yet
        }
    }
}
