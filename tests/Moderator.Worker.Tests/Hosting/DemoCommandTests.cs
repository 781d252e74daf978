using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Moderator.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Moderator.Worker.Tests.Hosting;

/// <summary>
/// `moderator demo` as a real process on a real database: the four simulators, the school registered on each platform
/// and the worker assessing what arrives there; a second run on the same database reuses the registration.
/// </summary>
public sealed class DemoCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] AllPlatforms = ["Facebook", "Instagram", "X", "YouTube"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "moderator-demo-" + Guid.NewGuid().ToString("N"));
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresCluster.CreateDatabaseAsync("demo");

    public async Task DisposeAsync()
    {
        await PostgresCluster.DropDatabaseAsync(_database);
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_registers_one_active_page_per_platform_whose_comments_the_worker_assesses_and_a_second_run_reuses_them()
    {
        await using var connection = new NpgsqlConnection(_database);
        var elapsed = Stopwatch.StartNew();
        await using (var first = StartDemo())
        {
            await Eventually.HoldsAsync(
                async () => (await AssessedPlatformsAsync(connection, since: null)).Count == 4 && await HidesAsync(connection, "X", "CannotAct") > 0 && await HidesAsync(connection, "YouTube", "Done") > 0,
                Deadline,
                "comments from all four platforms are assessed, a YouTube comment is held for review and an X reply outside the school's conversations is flagged cannot-hide");
            var firstRun = elapsed.Elapsed;

            var pages = (await connection.QueryAsync<(string Platform, string Status, string Credentials)>(
                "SELECT platform, status, credentials_ciphertext FROM pages ORDER BY platform")).ToList();
            Assert.Equal(AllPlatforms, pages.Select(p => p.Platform));
            Assert.All(pages, p => Assert.Equal("Active", p.Status));
            foreach (var secretPart in new[] { "demo-page-token", "demo-instagram-token", "simXat", "ya29.", "refresh" })
            {
                Assert.All(pages, p => Assert.DoesNotContain(secretPart, p.Credentials, StringComparison.OrdinalIgnoreCase));
            }

            Assert.Equal(1, await connection.QuerySingleAsync<long>("SELECT count(DISTINCT school_id) FROM pages"));
            Assert.Equal(2, await connection.QuerySingleAsync<long>(
                "SELECT min(n) FROM (SELECT count(*) AS n FROM page_moderators GROUP BY page_id) m"));
            Assert.Contains("/_sim", first.StandardOutput, StringComparison.Ordinal);
            foreach (var platform in AllPlatforms)
            {
                Assert.Contains(platform, first.StandardOutput, StringComparison.Ordinal);
            }

            await first.TerminateAsync();
            Assert.Equal(0, await first.WaitForExitAsync(Deadline));
            output.WriteLine($"first run: all four platforms assessed after {firstRun.TotalSeconds:F1} s");
        }

        var secondStart = await connection.QuerySingleAsync<DateTime>("SELECT now()");
        elapsed.Restart();
        await using (var second = StartDemo())
        {
            await Eventually.HoldsAsync(async () => (await AssessedPlatformsAsync(connection, since: secondStart)).Count == 4,
                Deadline, "the second run's comments from all four platforms are assessed with the stored registration");
            output.WriteLine($"second run: all four platforms assessed after {elapsed.Elapsed.TotalSeconds:F1} s");
        }

        Assert.Equal(4, await connection.QuerySingleAsync<long>("SELECT count(*) FROM pages WHERE status = 'Active'"));
        Assert.Equal(1, await connection.QuerySingleAsync<long>("SELECT count(*) FROM schools"));
        Assert.Equal(4, await connection.QuerySingleAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'page.registered'"));
        Assert.Equal(2, await connection.QuerySingleAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'page.reconnected'"));
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT max(revision_no) FROM comment_revisions"));
    }

    private ModeratorProcess StartDemo()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Moderator"] = _database,
            ["Logging__Directory"] = Path.Combine(_folder, "logs"),

            // Budgets that let every demo page be polled at its own 10 s (YouTube every 12 s) instead of 16 s and 23 s: a
            // quicker test. The demo's own settings still win where it sets them (the X post-read cap).
            ["PollingBudget__YouTubeUnitsPerPoll"] = "1",
            ["PollingBudget__MetaCallsPerHourPerPage"] = "100000",
        };
        return ModeratorProcess.Start(environment, "demo", "--simulator-port", "0", "--admin-url", $"http://127.0.0.1:{FreePort()}", "--data-dir", Path.Combine(_folder, "postgres"));
    }

    /// <summary>Platforms with at least one assessed comment first seen since <paramref name="since"/>.</summary>
    private static async Task<IReadOnlyList<string>> AssessedPlatformsAsync(NpgsqlConnection connection, DateTime? since)
    {
        try
        {
            return [.. await connection.QueryAsync<string>(
                """
                SELECT DISTINCT p.platform FROM assessments a
                JOIN comment_revisions r ON r.id = a.revision_id
                JOIN comments c ON c.id = r.comment_id
                JOIN pages p ON p.id = c.page_id
                WHERE p.status = 'Active' AND (@since::timestamptz IS NULL OR c.first_seen_at >= @since)
                """,
                new { since })];
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return []; // not migrated yet
        }
    }

    private static Task<long> HidesAsync(NpgsqlConnection connection, string platform, string status) =>
        connection.QuerySingleAsync<long>(
            "SELECT count(*) FROM outbox o JOIN pages p ON p.id = o.page_id WHERE p.platform = @platform AND o.action = 'Hide' AND o.status = @status",
            new { platform, status });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
