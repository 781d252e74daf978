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

    private async Task RunAsync(InstagramSimulator simulator, Uri baseAddress, Simulator.DemoSchool school, IReadOnlyList<DemoComment> feed, string dropFolder)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Instagram:BaseAddress"] = baseAddress.ToString(),
            ["Notifications:Email:DropFolder"] = dropFolder,
        }).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddModeratorStorage(database.ConnectionString, migrateOnStart: false)
            .AddModeratorWorkflow()
            .AddModeratorDataProtection()
            .AddInstagramConnector(configuration)
            .AddNotifications(configuration)
            .AddModerationModel(configuration)
            .AddTransient<PagePoller>()
            .AddTransient<IPlatformActions, PlatformActionExecutor>();
        await using var provider = services.BuildServiceProvider();
        var secrets = provider.GetRequiredService<SecretProtector>();
        var ids = await Core.Workflow.DemoSchool.SeedAsync(
            provider.GetRequiredService<Organisation>(),
            provider.GetRequiredService<StaffDirectory>(),
            new DemoSchoolRequest("not-a-real-hash", "ige2e", Platform: Platform.Instagram)
            {
                PageExternalId = school.Page.Id,
                PageName = InstagramSimulator.DemoUsername,
                CredentialsCiphertext = secrets.Protect(school.Page.AccessToken),
                PollInterval = TimeSpan.FromSeconds(60),
            });
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
}
