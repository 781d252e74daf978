using System.Diagnostics;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core;
using Moderator.Core.Security;
using Moderator.Core.Storage;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;
using Moderator.Worker.Simulator;
using Npgsql;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>
/// A whole moderation site for one test: a fresh PostgreSQL database, one platform's simulator on a real port, a school
/// page registered and approved against it, and any number of real `moderator run` processes.
/// </summary>
internal sealed class EndToEndHarness : IAsyncDisposable
{
    private readonly List<ModeratorProcess> _workers = [];
    private ServiceProvider _services = null!;

    private EndToEndHarness(string database, string folder, SimulatedPlatform platform)
    {
        Database = database;
        Folder = folder;
        Platform = platform;
    }

    public string Database { get; }

    /// <summary>Logs, mail drop and anything else the workers write.</summary>
    public string Folder { get; }

    public string LogFolder => Path.Combine(Folder, "logs");

    /// <summary>The simulated platform the school's page lives on.</summary>
    public SimulatedPlatform Platform { get; }

    /// <summary>The Facebook simulator, for tests that only run against Facebook.</summary>
    public FacebookSimulator Simulator => ((SimulatedFacebook)Platform).Simulator;

    public string PostId => ((SimulatedFacebook)Platform).PostId;

    public Guid PageId { get; private set; }

    /// <summary>The seeded school: its moderators, DSL and administrator.</summary>
    public DemoSchoolIds School { get; private set; } = null!;

    public IReadOnlyList<ModeratorProcess> Workers => _workers;

    /// <summary>The committed model, as the workers load it: tests derive expected actions from its verdicts.</summary>
    public static ModerationModel Model { get; } = ModelFiles.Load();

    public static async Task<EndToEndHarness> StartAsync(string purpose, Platform platform = Core.Platform.Facebook)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"moderator-e2e-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var simulated = await SimulatedPlatform.StartAsync(platform);
        var harness = new EndToEndHarness(await PostgresCluster.CreateDatabaseAsync(purpose), folder, simulated);
        await harness.InitialiseAsync();
        return harness;
    }

    private async Task InitialiseAsync()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddModeratorStorage(Database);
        services.AddModeratorWorkflow();
        services.AddModeratorDataProtection();
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<MigrationRunner>().MigrateAsync();

        var ids = await Core.Workflow.DemoSchool.SeedAsync(
            _services.GetRequiredService<Organisation>(),
            _services.GetRequiredService<StaffDirectory>(),
            new DemoSchoolRequest(new PasswordHasher<string>().HashPassword("e2e", "e2e-password-123"), "e2e", Platform: Platform.Platform)
            {
                PageExternalId = Platform.ExternalId,
                PageName = Platform.PageName,
                CredentialsCiphertext = _services.GetRequiredService<SecretProtector>().Protect(Platform.Secret),
            });
        PageId = ids.PageId;
        School = ids;

        // Real pages are polled at most every 10 s (a product rule); against the local simulator the test polls every
        // second so it finishes quickly. Only the interval is changed, straight in the table.
        await using var connection = Connect();
        await connection.ExecuteAsync("UPDATE pages SET poll_interval = interval '1 second' WHERE id = @PageId", new { PageId });
    }

    /// <summary>Registers, approves and staffs another school's page on the simulator while the workers run.</summary>
    public async Task<(Guid PageId, string PostId)> AddApprovedPageAsync(string tag)
    {
        var token = $"{SimulatedFacebook.PageToken}-{tag}";
        var page = Simulator.AddPage($"School {tag}", accessToken: token);
        var postId = Simulator.AddPost(page.Id, "Welcome back after half term");
        var ids = await Core.Workflow.DemoSchool.SeedAsync(
            _services.GetRequiredService<Organisation>(),
            _services.GetRequiredService<StaffDirectory>(),
            new DemoSchoolRequest(new PasswordHasher<string>().HashPassword(tag, "e2e-password-123"), tag)
            {
                PageExternalId = page.Id,
                CredentialsCiphertext = _services.GetRequiredService<SecretProtector>().Protect(token),
            });
        await using var connection = Connect();
        await connection.ExecuteAsync("UPDATE pages SET poll_interval = interval '1 second' WHERE id = @PageId", new { ids.PageId });
        return (ids.PageId, postId);
    }

    /// <summary>The site's own workflow services (as the admin site uses them), on the test's side of the database.</summary>
    public T Service<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>An administrator deactivates a page.</summary>
    public Task DeactivateAsync(Guid pageId) =>
        _services.GetRequiredService<Organisation>().DeactivatePageAsync(pageId, Actor.System);

    public ModeratorProcess StartWorker()
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Moderator"] = Database,
            ["Logging__Directory"] = LogFolder,
            ["Worker__PageScheduleInterval"] = "00:00:01",
            // The simulator has no budget to protect: the planner may allow one poll a second (the platform's own
            // budget settings come with its simulator).
            ["PollingBudget__MinimumInterval"] = "00:00:01",
            ["Worker__OutboxInterval"] = "00:00:00.500",
            ["Worker__ClusterCheckinInterval"] = "00:00:01",
            ["Moderator__Outbox__InitialBackoff"] = "00:00:00.200",
            ["Moderator__Outbox__MaxBackoff"] = "00:00:01",
            ["Moderator__Outbox__Lease"] = "00:00:05",
            ["Notifications__Email__DropFolder"] = Path.Combine(Folder, "mail"),
        };
        foreach (var (key, value) in Platform.WorkerSettings)
        {
            settings[key] = value;
        }

        var worker = ModeratorProcess.Start(settings, "run");
        _workers.Add(worker);
        return worker;
    }

    public NpgsqlConnection Connect() => new(Database);

    /// <summary>Waits until every listed simulator comment has an assessment in the database.</summary>
    public async Task WaitUntilAssessedAsync(IReadOnlyCollection<string> commentIds, TimeSpan timeout)
    {
        await using var connection = Connect();
        await WithDiagnosticsAsync(() => Eventually.HoldsAsync(async () =>
        {
            var assessed = await connection.QuerySingleAsync<long>(
                """
                SELECT count(DISTINCT c.external_id) FROM comments c
                JOIN comment_revisions r ON r.comment_id = c.id JOIN assessments a ON a.revision_id = r.id
                WHERE c.external_id = ANY(@ids)
                """, new { ids = commentIds.ToArray() });
            return assessed == commentIds.Count;
        }, timeout, $"all {commentIds.Count} comments are assessed"));
    }

    /// <summary>On a failed wait, adds the workers' warnings and errors to the failure so CI shows why.</summary>
    public async Task WithDiagnosticsAsync(Func<Task> wait)
    {
        try
        {
            await wait();
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or TimeoutException)
        {
            var problems = AllWorkerOutput().Split('\n').Where(l => l.Contains("WRN", StringComparison.Ordinal) || l.Contains("ERR", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(40);
            throw new Xunit.Sdk.XunitException($"{e.Message}\nWorker warnings and errors:\n{string.Join('\n', problems)}");
        }
    }

    /// <summary>
    /// Waits until the platform keeps every listed comment from public view, watching all of them at once; returns when
    /// each was first seen hidden, measured on <paramref name="clock"/> (the test's stopwatch since posting).
    /// </summary>
    public async Task<Dictionary<string, TimeSpan>> WaitUntilHiddenAsync(IEnumerable<string> commentIds, TimeSpan timeout, Stopwatch? clock = null)
    {
        var pending = commentIds.ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        clock ??= Stopwatch.StartNew();
        await WithDiagnosticsAsync(() => Eventually.HoldsAsync(() =>
        {
            foreach (var id in pending.Where(Platform.IsHidden).ToList())
            {
                seen[id] = clock.Elapsed;
                pending.Remove(id);
            }

            return Task.FromResult(pending.Count == 0);
        }, timeout, $"{pending.Count} more comments are hidden on the {Platform.Platform} simulator"));
        return seen;
    }

    /// <summary>No worker output carries comment text, a pupil's or author's name, a phone number or a token.</summary>
    public void AssertNothingPersonalLogged()
    {
        var logs = AllWorkerOutput();
        foreach (var sentinel in EndToEndComments.NeverLogged.Concat(Platform.SecretsNeverLogged))
        {
            Assert.DoesNotContain(sentinel, logs, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Every line the workers wrote: their log files, standard output and standard error.</summary>
    public string AllWorkerOutput()
    {
        var files = Directory.Exists(LogFolder)
            ? Directory.GetFiles(LogFolder, "*", SearchOption.AllDirectories).Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            })
            : [];
        return string.Join('\n', files.Concat(_workers.Select(w => w.StandardOutput + "\n" + w.StandardError)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await _services.DisposeAsync();
        await Platform.DisposeAsync();
        await PostgresCluster.DropDatabaseAsync(Database);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be flushing; the folder is under the temp directory.
        }
    }
}
