using System.Diagnostics;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class InstagramFaultTests
{
    [Theory]
    [InlineData(80002)]
    [InlineData(4)]
    [InlineData(17)]
    [InlineData(32)]
    [InlineData(613)]
    public async Task Rate_limit_codes_including_the_instagram_80002_are_rate_limited_with_a_backoff(int code)
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        var comment = harness.Simulator.AddComment(media, "text");
        harness.Simulator.FailNext(1, SimulatedFault.RateLimitCode, code);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));

        Assert.Equal(Platform.Instagram, error.Platform);
        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(TimeSpan.FromMilliseconds(200), error.RetryAfter);
        Assert.True(harness.Gate.RecommendedDelay(harness.Account.Id) > TimeSpan.Zero);
        Assert.False(harness.Simulator.Comment(comment).IsHidden);
    }

    [Fact]
    public async Task Repeated_rate_limits_double_the_backoff_and_a_success_resets_it()
    {
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:MaxInlineWait"] = "00:00:00" });
        var gate = harness.Gate;

        var first = gate.RecordRateLimited(harness.Account.Id, null);
        var second = gate.RecordRateLimited(harness.Account.Id, null);
        var held = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        gate.RecordSuccess(harness.Account.Id);
        var afterReset = gate.RecordRateLimited(harness.Account.Id, null);

        Assert.Equal(TimeSpan.FromMilliseconds(200), first);
        Assert.Equal(TimeSpan.FromMilliseconds(400), second);
        Assert.Equal(PlatformErrorKind.RateLimited, held.Kind);
        Assert.Equal(Platform.Instagram, held.Platform);
        Assert.Equal(0, harness.Simulator.TotalRequests);
        Assert.Equal(TimeSpan.FromMilliseconds(200), afterReset);
    }

    [Fact]
    public async Task Too_many_requests_is_rate_limited_for_as_long_as_retry_after_says()
    {
        await using var harness = await InstagramHarness.StartAsync(simulatorOptions: new FacebookSimulatorOptions { RetryAfter = TimeSpan.FromSeconds(3) });
        harness.Simulator.FailNext(1, SimulatedFault.TooManyRequests);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(429, error.HttpStatus);
        Assert.Null(error.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Theory]
    [InlineData(SimulatedFault.InternalServerError, 500)]
    [InlineData(SimulatedFault.ServiceUnavailable, 503)]
    public async Task Server_errors_are_transient(SimulatedFault fault, int status)
    {
        await using var harness = await InstagramHarness.StartAsync();
        harness.Simulator.FailNext(1, fault);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Equal(status, error.HttpStatus);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task Malformed_json_is_reported_as_malformed_and_retryable()
    {
        await using var harness = await InstagramHarness.StartAsync();
        harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        harness.Simulator.FailNext(1, SimulatedFault.MalformedJson, afterRequests: 1);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
        Assert.Equal(200, error.HttpStatus);
        Assert.True(error.IsRetryable);
        Assert.Equal(1, harness.Simulator.Calls(InstagramSimulatorEndpoints.Comments));
    }

    [Fact]
    public async Task Expired_token_is_an_authorization_failure_until_the_account_is_reconnected()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        var comment = harness.Simulator.AddComment(media, "text");
        harness.Simulator.ExpireToken(harness.Account.Id);

        var listing = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var hiding = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));
        var newToken = harness.Simulator.RenewToken(harness.Account.Id);
        await harness.Connector.HideAsync(new PageAccess(harness.Account.Id, newToken), comment, CancellationToken.None);

        Assert.All([listing, hiding], error =>
        {
            Assert.Equal(PlatformErrorKind.AuthorizationFailed, error.Kind);
            Assert.True(error.PageNeedsReconnect);
            Assert.False(error.IsRetryable);
            Assert.Equal(190, error.ErrorCode);
            Assert.Equal(463, error.ErrorSubcode);
        });
        Assert.Equal(1, harness.Simulator.Comment(comment).HideCalls);
    }

    [Fact]
    public async Task An_unknown_token_is_an_authorization_failure()
    {
        await using var harness = await InstagramHarness.StartAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(new PageAccess(harness.Account.Id, "EAAnot-a-token"), null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.AuthorizationFailed, error.Kind);
        Assert.Equal(190, error.ErrorCode);
    }

    [Fact]
    public async Task A_request_slower_than_the_timeout_fails_as_transient_and_the_next_one_succeeds()
    {
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:RequestTimeout"] = "00:00:00.300" });
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        var comment = harness.Simulator.AddComment(media, "text");
        harness.Simulator.FailNext(1, SimulatedFault.Timeout);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));
        watch.Stop();
        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Null(error.HttpStatus);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"gave up after {watch.Elapsed}");
        Assert.Equal(1, harness.Simulator.Comment(comment).HideCalls);
    }

    [Fact]
    public async Task A_hide_that_took_effect_but_answered_too_late_is_transient_and_retrying_it_is_harmless()
    {
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:RequestTimeout"] = "00:00:00.300" });
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        var comment = harness.Simulator.AddComment(media, "text");
        harness.Simulator.FailNext(1, SimulatedFault.TimeoutAfterApplying);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));
        var afterTimeout = harness.Simulator.Comment(comment);
        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.True(afterTimeout.IsHidden);
        Assert.True(harness.Simulator.Comment(comment).IsHidden);
        Assert.Equal(2, harness.Simulator.Comment(comment).HideCalls);
    }

    [Fact]
    public async Task After_a_failed_poll_the_same_cursor_returns_every_comment()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Football final");
        var start = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        for (var i = 0; i < 120; i++)
        {
            harness.Simulator.AddComment(media, $"c{i}", timestamp: start + TimeSpan.FromSeconds(i));
        }

        // Media and the first page of comments are read, then the second page fails: nothing is returned, no cursor moves.
        harness.Simulator.FailNext(1, SimulatedFault.InternalServerError, afterRequests: 2);
        await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        Assert.Equal(120, batch.Comments.Select(c => c.ExternalId).Distinct().Count());
        Assert.Equal(0, harness.Simulator.PendingFaults);
        Assert.Equal(2 + 3, harness.Simulator.Calls(InstagramSimulatorEndpoints.Comments));
    }

    [Fact]
    public async Task Usage_above_the_slow_down_threshold_spaces_the_next_call_out()
    {
        await using var harness = await InstagramHarness.StartAsync(new()
        {
            ["Instagram:SlowDownFromPercent"] = "75",
            ["Instagram:MaxSlowDownDelay"] = "00:00:00.500",
        });
        harness.Simulator.SetUsagePercent(harness.Account.Id, 90);
        var since = DateTimeOffset.UtcNow - TimeSpan.FromDays(1);

        await harness.Graph.ListRecentMediaAsync(harness.Access, since, 10, CancellationToken.None);
        var recommended = harness.Gate.RecommendedDelay(harness.Account.Id);
        var watch = Stopwatch.StartNew();
        await harness.Graph.ListRecentMediaAsync(harness.Access, since, 10, CancellationToken.None);
        watch.Stop();

        Assert.Equal(91, harness.Gate.ObservedUsage(harness.Account.Id)?.CallCountPercent);
        // (91 - 75) / 25 of 500 ms = 320 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(320), recommended);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"waited {watch.Elapsed}");
        Assert.Contains(harness.Logs.Lines, line => line.Contains("[5101]", StringComparison.Ordinal) && line.Contains("Instagram", StringComparison.Ordinal));
    }

    [Fact]
    public async Task At_full_usage_the_account_is_throttled_with_80002_and_further_calls_are_held_back_without_reaching_instagram()
    {
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:MaxInlineWait"] = "00:00:01" });
        harness.Simulator.SetUsagePercent(harness.Account.Id, 100);

        var throttled = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var requestsAfterThrottle = harness.Simulator.TotalRequests;
        var held = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, throttled.Kind);
        Assert.Equal(80002, throttled.ErrorCode);
        Assert.Equal(1, harness.Simulator.ThrottledResponses);
        Assert.Equal(PlatformErrorKind.RateLimited, held.Kind);
        Assert.Null(held.HttpStatus);
        Assert.InRange(held.RetryAfter ?? TimeSpan.Zero, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1));
        Assert.Equal(requestsAfterThrottle, harness.Simulator.TotalRequests);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_turned_into_a_platform_error()
    {
        await using var harness = await InstagramHarness.StartAsync();
        harness.Simulator.FailNext(1, SimulatedFault.Timeout);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, cancel.Token));
    }

    [Fact]
    public async Task Log_lines_name_ids_and_codes_but_never_comment_text_usernames_or_tokens()
    {
        await using var harness = await InstagramHarness.StartAsync();
        const string Sentinel = "SENTINEL-Jayden-Okonkwo-07700900461";
        const string Username = "zebedee.quartermaine";
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        var comment = harness.Simulator.AddComment(media, Sentinel, Username);
        harness.Simulator.AddComment(media, Sentinel + " reply", Username, parentCommentId: comment);
        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        await harness.Connector.GetCommentAsync(harness.Access, media, comment, CancellationToken.None);
        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);
        harness.Simulator.FailNext(1, SimulatedFault.RateLimitCode, 80002);
        await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, batch.NextCursor, CancellationToken.None));
        harness.Simulator.FailNext(1, SimulatedFault.MalformedJson);
        await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, batch.NextCursor, CancellationToken.None));
        harness.Simulator.ExpireToken(harness.Account.Id);
        await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        var lines = harness.Logs.Lines;
        Assert.Contains(lines, line => line.Contains(comment, StringComparison.Ordinal) && line.Contains("hide", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("80002", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("190", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("SENTINEL", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("07700", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("quartermaine", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, line => line.Contains(harness.Account.AccessToken, StringComparison.Ordinal));
    }
}
