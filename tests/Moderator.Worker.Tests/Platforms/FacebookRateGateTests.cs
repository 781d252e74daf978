using System.Diagnostics;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookRateGateTests
{
    [Fact]
    public async Task Business_use_case_usage_is_observed_and_rises_with_calls()
    {
        await using var harness = await GraphHarness.StartAsync(simulatorOptions: new FacebookSimulatorOptions { UsagePercentPerCall = 10 });
        harness.Simulator.AddPost(harness.Page.Id, "Sports day");

        await harness.Graph.ListRecentPostsAsync(harness.Access, DateTimeOffset.UtcNow - TimeSpan.FromDays(1), 10, CancellationToken.None);
        var first = harness.Gate.ObservedUsage(harness.Page.Id);
        await harness.Graph.ListRecentPostsAsync(harness.Access, DateTimeOffset.UtcNow - TimeSpan.FromDays(1), 10, CancellationToken.None);
        var second = harness.Gate.ObservedUsage(harness.Page.Id);

        Assert.Equal(10, first?.CallCountPercent);
        Assert.Equal(20, second?.CallCountPercent);
        Assert.Equal(TimeSpan.Zero, harness.Gate.RecommendedDelay(harness.Page.Id));
    }

    [Fact]
    public async Task Usage_above_the_slow_down_threshold_spaces_the_next_call_out()
    {
        await using var harness = await GraphHarness.StartAsync(new()
        {
            ["Facebook:SlowDownFromPercent"] = "75",
            ["Facebook:MaxSlowDownDelay"] = "00:00:00.500",
        });
        harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        harness.Simulator.SetUsagePercent(harness.Page.Id, 90);
        var since = DateTimeOffset.UtcNow - TimeSpan.FromDays(1);

        await harness.Graph.ListRecentPostsAsync(harness.Access, since, 10, CancellationToken.None);
        var recommended = harness.Gate.RecommendedDelay(harness.Page.Id);
        var watch = Stopwatch.StartNew();
        await harness.Graph.ListRecentPostsAsync(harness.Access, since, 10, CancellationToken.None);
        watch.Stop();

        // 91% (90 + one call): (91 - 75) / 25 of 500 ms = 320 ms.
        Assert.Equal(91, harness.Gate.ObservedUsage(harness.Page.Id)?.CallCountPercent);
        Assert.Equal(TimeSpan.FromMilliseconds(320), recommended);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"second call took {watch.Elapsed}");
        Assert.Equal(0, harness.Simulator.ThrottledResponses);
    }

    [Fact]
    public async Task At_full_usage_further_calls_are_held_back_without_reaching_facebook()
    {
        await using var harness = await GraphHarness.StartAsync(new()
        {
            ["Facebook:RateLimitBackoff"] = "00:01:00",
            ["Facebook:MaxInlineWait"] = "00:00:00.100",
        });
        harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        harness.Simulator.SetUsagePercent(harness.Page.Id, 100);

        var refused = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var requestsSoFar = harness.Simulator.TotalRequests;
        var heldBack = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, refused.Kind);
        Assert.Equal(80001, refused.ErrorCode);
        Assert.Equal(TimeSpan.FromMinutes(1), refused.RetryAfter);
        Assert.Equal(PlatformErrorKind.RateLimited, heldBack.Kind);
        Assert.Null(heldBack.HttpStatus);
        Assert.InRange(heldBack.RetryAfter!.Value, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        Assert.Equal(requestsSoFar, harness.Simulator.TotalRequests);
        Assert.Equal(1, harness.Simulator.ThrottledResponses);
    }

    [Fact]
    public async Task Consecutive_rate_limit_errors_double_the_backoff_and_a_success_resets_it()
    {
        await using var harness = await GraphHarness.StartAsync(new()
        {
            ["Facebook:RateLimitBackoff"] = "00:00:00.050",
            ["Facebook:MaxSlowDownDelay"] = "00:00:00",
        });
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, "text");
        harness.Simulator.FailNext(3, SimulatedFault.RateLimitCode, 4);

        var backoffs = new List<TimeSpan?>();
        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));
            backoffs.Add(error.RetryAfter);
        }

        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);
        harness.Simulator.FailNext(1, SimulatedFault.RateLimitCode, 4);
        var afterSuccess = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));

        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], backoffs);
        Assert.Equal(TimeSpan.FromMilliseconds(50), afterSuccess.RetryAfter);
        Assert.Equal(1, harness.Simulator.Comment(comment).HideCalls);
    }
}
