using Microsoft.Extensions.DependencyInjection;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>The Google project's quota day is one budget for every worker node, and it outlives a restart.</summary>
public sealed class YouTubeSharedQuotaTests
{
    private static readonly Dictionary<string, string?> ThreeReads = new()
    {
        ["YouTube:DailyQuotaUnits"] = "103",
        ["YouTube:ModerationReserveUnits"] = "100",
    };

    [Fact]
    public async Task Two_nodes_share_one_YouTube_quota_day()
    {
        await using var harness = await YouTubeHarness.StartAsync(ThreeReads);
        var other = harness.AnotherNode().GetRequiredService<YouTubeConnector>();

        await harness.PollAsync();
        await other.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        await harness.PollAsync();
        var refusedOnOther = await Assert.ThrowsAsync<PlatformException>(() => other.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var refusedOnFirst = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.RateLimited, refusedOnOther.Kind);
        Assert.Null(refusedOnOther.HttpStatus);
        Assert.Contains("3 of 3 units spent today", refusedOnOther.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(22), refusedOnOther.RetryAfter);
        Assert.Equal(PlatformErrorKind.RateLimited, refusedOnFirst.Kind);
        Assert.Equal(3, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
    }

    [Fact]
    public async Task A_restarted_worker_remembers_the_days_spend()
    {
        await using var harness = await YouTubeHarness.StartAsync(ThreeReads);
        await harness.PollAsync();
        await harness.PollAsync();
        await harness.Services.DisposeAsync();

        var restarted = harness.AnotherNode();
        var quota = restarted.GetRequiredService<YouTubeQuota>();
        var spentAtStart = await quota.SpentTodayAsync(CancellationToken.None);
        await restarted.GetRequiredService<YouTubeConnector>().ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<PlatformException>(() => restarted.GetRequiredService<YouTubeConnector>().ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(2, spentAtStart);
        Assert.Equal(PlatformErrorKind.RateLimited, refused.Kind);
        Assert.Equal(3, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
    }

    [Fact]
    public async Task Quota_exceeded_seen_by_one_node_stops_every_node_and_a_restart_until_midnight_pacific()
    {
        await using var harness = await YouTubeHarness.StartAsync(simulatorOptions: new YouTubeSimulatorOptions { DailyQuotaUnits = 500 });
        harness.Simulator.SetQuotaSpent(500);
        await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());
        await harness.Services.DisposeAsync();

        var restarted = harness.AnotherNode().GetRequiredService<YouTubeConnector>();
        var read = await Assert.ThrowsAsync<PlatformException>(() => restarted.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var hide = await Assert.ThrowsAsync<PlatformException>(() => restarted.HideAsync(harness.Access, "Ugx-any-comment", CancellationToken.None));
        harness.Simulator.SetQuotaSpent(0);
        harness.Clock.Advance(TimeSpan.FromHours(22));
        await restarted.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        Assert.Equal(PlatformErrorKind.RateLimited, read.Kind);
        Assert.Null(read.HttpStatus);
        Assert.Equal(PlatformErrorKind.RateLimited, hide.Kind);
        Assert.Null(hide.HttpStatus);
        Assert.Equal(2, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
        Assert.Equal(0, harness.Simulator.Calls(YouTubeSimulatorEndpoints.SetModerationStatus));
    }

    [Fact]
    public async Task Parallel_reads_on_two_nodes_never_book_past_the_read_budget()
    {
        await using var harness = await YouTubeHarness.StartAsync(new()
        {
            ["YouTube:DailyQuotaUnits"] = "140",
            ["YouTube:ModerationReserveUnits"] = "100",
        });
        var quotas = new[] { harness.Quota, harness.AnotherNode().GetRequiredService<YouTubeQuota>() };

        var attempts = Enumerable.Range(0, 100).Select(async i =>
        {
            try
            {
                await quotas[i % 2].SpendOnReadAsync(YouTubeQuota.ListCost, "channel", CancellationToken.None);
                return true;
            }
            catch (PlatformException e) when (e.Kind == PlatformErrorKind.RateLimited)
            {
                return false;
            }
        });
        var granted = (await Task.WhenAll(attempts)).Count(g => g);

        Assert.Equal(40, granted);
        Assert.Equal(40, await quotas[1].SpentTodayAsync(CancellationToken.None));
    }
}
