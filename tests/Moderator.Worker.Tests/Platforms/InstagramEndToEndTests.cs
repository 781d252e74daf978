using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Security;
using Moderator.Core.Storage;
using Moderator.Core.Workflow;
using Moderator.Testing;
using Moderator.Worker.Hosting;
using Moderator.Worker.Notifications;
using Moderator.Worker.Platforms.Instagram;
using Moderator.Worker.Polling;
using Moderator.Worker.Simulator;
using Xunit.Abstractions;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// Simulator → the worker's own poller and outbox (resolving the connector by platform) → real PostgreSQL → hide on the
/// simulator, for the Instagram demo account.
/// </summary>
public sealed class InstagramEndToEndTests(DatabaseFixture database, ITestOutputHelper output) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Instagram_demo_comments_are_recorded_once_and_every_hide_verdict_is_executed_once_on_the_simulator()
    {
        await using var simulator = new InstagramSimulator();
        var baseAddress = await simulator.StartAsync();
        var school = simulator.AddDemoAccount();
        var feed = DemoFeed.Load(DemoFeed.Locate(AppContext.BaseDirectory, DemoFeed.InstagramRelativePath)!);
        foreach (var comment in feed)
        {
            simulator.AddComment(school.PostIds[comment.PostKey], comment.Text, "visitor." + comment.PostKey);
        }

        var drop = Directory.CreateTempSubdirectory("ig-e2e-mail");
        try
        {
            await RunAsync(simulator, baseAddress, school, feed, drop.FullName);
        }
        finally
        {
            drop.Delete(recursive: true);
        }
    }

    private async Task RunAsync(InstagramSimulator simulator, Uri baseAddress, Simulator.SimulatedDemoSchool school, IReadOnlyList<DemoComment> feed, string dropFolder)
    {
        var logs = new LogCapture();
        await using var provider = BuildWorker(baseAddress, dropFolder, logs, []);
        var ids = await SeedAsync(provider, school, "ige2e");
        var poller = provider.GetRequiredService<PagePoller>();
        var dispatcher = provider.GetRequiredService<OutboxDispatcher>();

        var watch = Stopwatch.StartNew();
        var first = await poller.PollAsync(ids.PageId, CancellationToken.None);
        var polled = watch.Elapsed;
        for (var pass = 0; pass < 10 && (await dispatcher.DispatchAsync("ig-e2e")).Claimed > 0; pass++)
        {
        }

        var dispatched = watch.Elapsed;
        var second = await poller.PollAsync(ids.PageId, CancellationToken.None);
        await dispatcher.DispatchAsync("ig-e2e");

        var states = simulator.Comments(school.Page.Id);
        var hidden = states.Where(s => s.IsHidden).ToList();
        output.WriteLine($"instagram e2e: {first.Read} read, {first.Hidden} hide verdicts, {first.Escalated} escalations; poll {polled.TotalMilliseconds:F0} ms, poll+dispatch {dispatched.TotalMilliseconds:F0} ms; second poll read {second.Read}");
        Assert.Equal("polled", first.Outcome);
        Assert.Equal(feed.Count, first.Read);
        Assert.Equal(feed.Count, first.NewRevisions);
        Assert.Equal(0, second.Read);
        Assert.True(first.Hidden > 0, "some demo comments are harmful");
        Assert.Equal(first.Hidden, hidden.Count);
        Assert.All(hidden, s => Assert.Equal(1, s.HideCalls));
        Assert.All(states.Where(s => !s.IsHidden), s => Assert.Equal(0, s.HideCalls));
        Assert.Equal(PageStatus.Active, (await provider.GetRequiredService<Organisation>().GetPageAsync(ids.PageId)).Status);
        Assert.DoesNotContain(logs.Lines, line => feed.Any(c => line.Contains(c.Text, StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(school.Page.AccessToken, StringComparison.Ordinal));
    }

    private ServiceProvider BuildWorker(Uri baseAddress, string dropFolder, LogCapture logs, Dictionary<string, string?> settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Instagram:BaseAddress"] = baseAddress.ToString(),
            ["Notifications:Email:DropFolder"] = dropFolder,
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddModeratorStorage(database.ConnectionString, migrateOnStart: false)
            .AddModeratorWorkflow()
            .AddOutboxDispatcher()
            .AddModeratorDataProtection()
            .AddInstagramConnector(configuration)
            .AddNotifications(configuration)
            .AddModerationModel(configuration)
            .AddPagePolling()
            .AddTransient<IPlatformActions, PlatformActionExecutor>()
            .BuildServiceProvider();
    }

    private static Task<DemoSchoolIds> SeedAsync(ServiceProvider provider, Simulator.SimulatedDemoSchool school, string tag) =>
        Core.Workflow.DemoSchool.SeedAsync(
            provider.GetRequiredService<Organisation>(),
            provider.GetRequiredService<StaffDirectory>(),
            new DemoSchoolRequest("not-a-real-hash", tag, Platform: Platform.Instagram)
            {
                PageExternalId = school.Page.Id,
                PageName = InstagramSimulator.DemoUsername,
                CredentialsCiphertext = provider.GetRequiredService<SecretProtector>().Protect(school.Page.AccessToken),
                PollInterval = TimeSpan.FromSeconds(60),
            });

    [Fact]
    public async Task Faults_during_polls_lose_and_duplicate_nothing_and_an_expired_token_flags_the_page_for_reconnection()
    {
        await using var simulator = new InstagramSimulator(options: new FacebookSimulatorOptions { TimeoutDelay = TimeSpan.FromSeconds(5) });
        var baseAddress = await simulator.StartAsync();
        var school = simulator.AddDemoAccount(accountId: "17841400000000777");
        var feed = DemoFeed.Load(DemoFeed.Locate(AppContext.BaseDirectory, DemoFeed.InstagramRelativePath)!);
        var drop = Directory.CreateTempSubdirectory("ig-e2e-faults");
        try
        {
            var logs = new LogCapture();
            await using var provider = BuildWorker(baseAddress, drop.FullName, logs, new()
            {
                ["Instagram:RequestTimeout"] = "00:00:00.500",
                ["Instagram:RateLimitBackoff"] = "00:00:00.200",
                ["Instagram:MaxSlowDownDelay"] = "00:00:00.400",
                ["Instagram:MaxInlineWait"] = "00:00:02",
            });
            var ids = await SeedAsync(provider, school, "igfaults");
            var poller = provider.GetRequiredService<PagePoller>();
            var half = feed.Count / 2;
            foreach (var comment in feed.Take(half))
            {
                simulator.AddComment(school.PostIds[comment.PostKey], comment.Text);
            }

            var outcomes = new List<string>();
            var recorded = 0;
            async Task PollAsync()
            {
                var result = await poller.PollAsync(ids.PageId, CancellationToken.None);
                outcomes.Add(result.Outcome);
                recorded += result.NewRevisions;
            }

            simulator.FailNext(1, SimulatedFault.RateLimitCode, 80002, afterRequests: 2);
            await PollAsync();
            simulator.FailNext(1, SimulatedFault.ServiceUnavailable, afterRequests: 1);
            await PollAsync();
            simulator.FailNext(1, SimulatedFault.MalformedJson, afterRequests: 3);
            await PollAsync();
            simulator.FailNext(1, SimulatedFault.Timeout);
            await PollAsync();
            await PollAsync();
            foreach (var comment in feed.Skip(half))
            {
                simulator.AddComment(school.PostIds[comment.PostKey], comment.Text);
            }

            simulator.FailNext(1, SimulatedFault.TooManyRequests, afterRequests: 4);
            await PollAsync();
            await PollAsync();
            await PollAsync();
            simulator.ExpireToken(school.Page.Id);
            await PollAsync();

            output.WriteLine("instagram fault e2e outcomes: " + string.Join(" | ", outcomes));
            Assert.Equal(
                ["deferred: RateLimited", "deferred: Transient", "deferred: Malformed", "deferred: Transient", "polled", "deferred: RateLimited", "polled", "polled", "needs reconnect: platform refused the credentials"],
                outcomes);
            Assert.Equal(feed.Count, recorded);
            Assert.Equal(0, simulator.PendingFaults);
            Assert.Equal(PageStatus.NeedsReconnect, (await provider.GetRequiredService<Organisation>().GetPageAsync(ids.PageId)).Status);
            Assert.DoesNotContain(logs.Lines, line => feed.Any(c => line.Contains(c.Text, StringComparison.Ordinal)));
        }
        finally
        {
            drop.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Two_workers_polling_and_dispatching_one_account_at_once_record_each_comment_once_and_hide_each_once()
    {
        await using var simulator = new InstagramSimulator();
        var baseAddress = await simulator.StartAsync();
        var school = simulator.AddDemoAccount(accountId: "17841400000000888");
        var feed = DemoFeed.Load(DemoFeed.Locate(AppContext.BaseDirectory, DemoFeed.InstagramRelativePath)!);
        foreach (var comment in feed)
        {
            simulator.AddComment(school.PostIds[comment.PostKey], comment.Text);
        }

        var drop = Directory.CreateTempSubdirectory("ig-e2e-two");
        try
        {
            var logs = new LogCapture();
            await using var nodeA = BuildWorker(baseAddress, drop.FullName, logs, []);
            await using var nodeB = BuildWorker(baseAddress, drop.FullName, logs, []);
            var ids = await SeedAsync(nodeA, school, "igtwo");

            var polls = await Task.WhenAll(
                Task.Run(() => nodeA.GetRequiredService<PagePoller>().PollAsync(ids.PageId, CancellationToken.None)),
                Task.Run(() => nodeB.GetRequiredService<PagePoller>().PollAsync(ids.PageId, CancellationToken.None)));
            async Task DrainAsync(ServiceProvider node, string consumer)
            {
                var dispatcher = node.GetRequiredService<OutboxDispatcher>();
                for (var pass = 0; pass < 10 && (await dispatcher.DispatchAsync(consumer)).Claimed > 0; pass++)
                {
                }
            }

            await Task.WhenAll(Task.Run(() => DrainAsync(nodeA, "node-a")), Task.Run(() => DrainAsync(nodeB, "node-b")));

            var states = simulator.Comments(school.Page.Id);
            output.WriteLine($"two workers: reads {polls[0].Read}+{polls[1].Read}, new {polls[0].NewRevisions}+{polls[1].NewRevisions}, hidden on simulator {states.Count(s => s.IsHidden)}, hide calls {states.Sum(s => s.HideCalls)}");
            Assert.All(polls, poll => Assert.Equal("polled", poll.Outcome));
            Assert.Equal(feed.Count, polls.Sum(p => p.NewRevisions));
            Assert.True(states.Any(s => s.IsHidden), "some demo comments are harmful");
            Assert.All(states, s => Assert.Equal(s.IsHidden ? 1 : 0, s.HideCalls));
        }
        finally
        {
            drop.Delete(recursive: true);
        }
    }
}
