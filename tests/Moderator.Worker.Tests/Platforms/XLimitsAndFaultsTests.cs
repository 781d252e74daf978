using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class XLimitsAndFaultsTests
{
    [Fact]
    public async Task Calls_stop_before_the_window_is_spent_and_resume_after_the_reset()
    {
        await using var x = await XHarness.StartAsync(new() { ["X:MaxTrackedConversations"] = "0" }, new XSimulatorOptions { SearchLimit = 3 });
        x.SchoolPostWithReplies(1);

        await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        var held = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));
        var (_, remaining, resetAt) = x.Simulator.Window(XSimulatorEndpoints.Search, x.School.Id);

        Assert.Equal(PlatformErrorKind.RateLimited, held.Kind);
        Assert.Null(held.HttpStatus);
        Assert.Equal(resetAt - x.Clock.GetUtcNow(), held.RetryAfter);
        Assert.Equal(1, remaining);
        Assert.Equal(2, x.Simulator.Calls(XSimulatorEndpoints.Search));
        Assert.Equal(0, x.Simulator.RateLimitedResponses);
        Assert.Equal(new XRateLimit(3, 1, resetAt), x.Gate.Observed(XApiClient.SearchEndpoint, x.School.Id));

        x.Clock.Advance(held.RetryAfter!.Value);
        var after = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);

        Assert.Single(after.Comments);
        Assert.Equal(3, x.Simulator.Calls(XSimulatorEndpoints.Search));
    }

    [Fact]
    public async Task A_near_reset_is_waited_out_inside_the_call_on_the_injected_clock()
    {
        await using var x = await XHarness.StartAsync(
            new() { ["X:MaxInlineWait"] = XHarness.Span(TimeSpan.FromMinutes(20)), ["X:MaxTrackedConversations"] = "0" },
            new XSimulatorOptions { SearchLimit = 2 });
        x.SchoolPostWithReplies(1);
        await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);

        var waiting = x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        await Eventually.WaitUntilAsync(() => x.Logs.Lines.Any(l => l.Contains("[5301]", StringComparison.Ordinal)), because: "the call starts waiting");
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, x.Simulator.Calls(XSimulatorEndpoints.Search));

        // Only the test's clock releases the wait: move it a minute at a time until the reset passes.
        await Eventually.WaitUntilAsync(
            () =>
            {
                x.Clock.Advance(TimeSpan.FromMinutes(1));
                return waiting.IsCompleted;
            },
            because: "the wait ends at the window's reset");
        var batch = await waiting;
        Assert.True(x.Clock.GetUtcNow() >= XHarness.Start + TimeSpan.FromMinutes(15));

        Assert.Single(batch.Comments);
        Assert.Equal(2, x.Simulator.Calls(XSimulatorEndpoints.Search));
        Assert.Equal(0, x.Simulator.RateLimitedResponses);
    }

    [Fact]
    public async Task Too_many_requests_is_rate_limited_until_the_reported_reset_and_blocks_further_calls()
    {
        await using var x = await XHarness.StartAsync();
        x.Simulator.FailNext(1, XSimulatedFault.TooManyRequests);

        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));
        var next = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(429, error.HttpStatus);
        Assert.Equal(TimeSpan.FromMinutes(15), error.RetryAfter);
        Assert.Equal(PlatformErrorKind.RateLimited, next.Kind);
        Assert.Null(next.HttpStatus);
        Assert.Equal(1, x.Simulator.Calls(XSimulatorEndpoints.Search));
    }

    [Fact]
    public async Task Usage_capped_stops_every_read_for_the_long_backoff_but_not_hides()
    {
        await using var x = await XHarness.StartAsync(new() { ["X:UsageCappedBackoff"] = XHarness.Span(TimeSpan.FromHours(12)) });
        var (_, replies) = x.SchoolPostWithReplies(1);
        x.Simulator.FailNext(1, XSimulatedFault.UsageCapped);

        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));
        var read = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.GetCommentAsync(x.Access, "p", replies[0], CancellationToken.None));
        await x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None);

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(429, error.HttpStatus);
        Assert.Equal(TimeSpan.FromHours(12), error.RetryAfter);
        Assert.Equal(PlatformErrorKind.RateLimited, read.Kind);
        Assert.Equal(0, x.Simulator.Calls(XSimulatorEndpoints.Lookup));
        Assert.True(x.Simulator.Post(replies[0]).IsHidden);
    }

    [Fact]
    public async Task Own_monthly_post_read_cap_stops_polls_until_next_month()
    {
        await using var x = await XHarness.StartAsync(new() { ["X:MonthlyPostReadCap"] = "5", ["X:MaxTrackedConversations"] = "0" });
        x.SchoolPostWithReplies(6);

        await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        var capped = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, capped.Kind);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - x.Clock.GetUtcNow(), capped.RetryAfter);
        Assert.Equal(1, x.Simulator.Calls(XSimulatorEndpoints.Search));

        x.Clock.Advance(capped.RetryAfter!.Value);
        Assert.Equal(0, await x.Meter.PostReadsThisMonthAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(XSimulatedFault.InternalServerError, 500)]
    [InlineData(XSimulatedFault.ServiceUnavailable, 503)]
    public async Task Server_errors_are_transient(XSimulatedFault fault, int status)
    {
        await using var x = await XHarness.StartAsync();
        x.Simulator.FailNext(1, fault);

        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Equal(status, error.HttpStatus);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task A_request_that_outlives_the_timeout_is_transient_and_a_retry_succeeds()
    {
        await using var x = await XHarness.StartAsync(
            new() { ["X:RequestTimeout"] = XHarness.Span(TimeSpan.FromMilliseconds(300)) },
            new XSimulatorOptions { TimeoutDelay = TimeSpan.FromSeconds(10) });
        var (_, replies) = x.SchoolPostWithReplies(1);
        x.Simulator.FailNext(1, XSimulatedFault.Timeout);

        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None));
        await x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None);

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Null(error.HttpStatus);
        Assert.True(x.Simulator.Post(replies[0]).IsHidden);
    }

    [Fact]
    public async Task Malformed_json_is_malformed()
    {
        await using var x = await XHarness.StartAsync();
        x.Simulator.FailNext(1, XSimulatedFault.MalformedJson);

        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
        Assert.Equal(200, error.HttpStatus);
    }

    [Fact]
    public async Task Hiding_a_reply_that_is_gone_is_not_found()
    {
        await using var x = await XHarness.StartAsync();
        var (_, replies) = x.SchoolPostWithReplies(1);
        x.Simulator.DeletePost(replies[0]);

        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal(404, error.HttpStatus);
    }
}
