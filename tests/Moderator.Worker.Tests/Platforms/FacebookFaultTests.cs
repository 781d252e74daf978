using System.Diagnostics;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookFaultTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(17)]
    [InlineData(32)]
    [InlineData(613)]
    [InlineData(80001)]
    public async Task Graph_rate_limit_codes_are_rate_limited_with_a_backoff(int code)
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, "text");
        harness.Simulator.FailNext(1, SimulatedFault.RateLimitCode, code);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(TimeSpan.FromMilliseconds(200), error.RetryAfter);
        Assert.True(harness.Gate.RecommendedDelay(harness.Page.Id) > TimeSpan.Zero);
        Assert.False(harness.Simulator.Comment(comment).IsHidden);
    }

    [Fact]
    public async Task Too_many_requests_is_rate_limited_for_as_long_as_retry_after_says()
    {
        await using var harness = await GraphHarness.StartAsync(simulatorOptions: new FacebookSimulatorOptions { RetryAfter = TimeSpan.FromSeconds(3) });
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
        await using var harness = await GraphHarness.StartAsync();
        harness.Simulator.FailNext(1, fault);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Equal(status, error.HttpStatus);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task Malformed_json_is_reported_as_malformed()
    {
        await using var harness = await GraphHarness.StartAsync();
        harness.Simulator.FailNext(1, SimulatedFault.MalformedJson);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
        Assert.Equal(200, error.HttpStatus);
    }

    [Fact]
    public async Task Expired_token_is_an_authorization_failure_until_the_page_is_reconnected()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, "text");
        harness.Simulator.ExpireToken(harness.Page.Id);

        var listing = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var hiding = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));
        var newToken = harness.Simulator.RenewToken(harness.Page.Id);
        await harness.Connector.HideAsync(new PageAccess(harness.Page.Id, newToken), comment, CancellationToken.None);

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
        await using var harness = await GraphHarness.StartAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(new PageAccess(harness.Page.Id, "EAAnot-a-token"), null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.AuthorizationFailed, error.Kind);
        Assert.Equal(190, error.ErrorCode);
    }

    [Fact]
    public async Task A_request_slower_than_the_timeout_fails_as_transient_and_the_next_one_succeeds()
    {
        await using var harness = await GraphHarness.StartAsync(new() { ["Facebook:RequestTimeout"] = "00:00:00.300" });
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, "text");
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
        await using var harness = await GraphHarness.StartAsync(new() { ["Facebook:RequestTimeout"] = "00:00:00.300" });
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, "text");
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
    public async Task The_callers_cancellation_is_not_turned_into_a_platform_error()
    {
        await using var harness = await GraphHarness.StartAsync();
        harness.Simulator.FailNext(1, SimulatedFault.Timeout);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, cancel.Token));
    }

    [Fact]
    public async Task After_a_failed_poll_the_same_cursor_returns_every_comment()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var start = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        for (var i = 0; i < 150; i++)
        {
            harness.Simulator.AddComment(post, $"c{i}", createdTime: start + TimeSpan.FromSeconds(i));
        }

        // Posts and the first page of comments are read, then the second page fails: the poll returns nothing, so
        // no cursor can move past the unread page.
        harness.Simulator.FailNext(1, SimulatedFault.InternalServerError, afterRequests: 2);
        await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        Assert.Equal(150, batch.Comments.Select(c => c.ExternalId).Distinct().Count());
        Assert.Equal(0, harness.Simulator.PendingFaults);
        Assert.Equal(2 + 2, harness.Simulator.Calls(SimulatorEndpoints.Comments));
    }

    [Fact]
    public async Task Log_lines_name_ids_and_codes_but_never_comment_text_authors_or_tokens()
    {
        await using var harness = await GraphHarness.StartAsync();
        const string Sentinel = "SENTINEL-Jayden-Okonkwo-07700900461";
        const string Author = "Zebedee Quartermaine";
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, Sentinel, Author);
        await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);
        harness.Simulator.FailNext(1, SimulatedFault.RateLimitCode, 17);
        await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        harness.Simulator.ExpireToken(harness.Page.Id);
        await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));

        var lines = harness.Logs.Lines;
        Assert.Contains(lines, line => line.Contains(comment, StringComparison.Ordinal) && line.Contains("hide", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("190", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("SENTINEL", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("Quartermaine", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(harness.Page.AccessToken, StringComparison.Ordinal));
    }
}
