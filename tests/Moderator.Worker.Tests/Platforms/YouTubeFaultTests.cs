using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class YouTubeFaultTests
{
    [Theory]
    [InlineData(SimulatedYouTubeFault.InternalServerError, 500)]
    [InlineData(SimulatedYouTubeFault.ServiceUnavailable, 503)]
    [InlineData(SimulatedYouTubeFault.ProcessingFailure, 400)]
    public async Task Server_errors_and_processing_failures_are_transient(SimulatedYouTubeFault fault, int status)
    {
        await using var harness = await YouTubeHarness.StartAsync();
        harness.Simulator.FailNext(1, fault);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Equal(status, error.HttpStatus);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task Truncated_json_is_malformed_and_retryable()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        harness.Simulator.FailNext(1, SimulatedYouTubeFault.MalformedJson);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.Malformed, error.Kind);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task A_request_that_does_not_answer_in_time_is_transient()
    {
        await using var harness = await YouTubeHarness.StartAsync(
            new() { ["YouTube:RequestTimeout"] = YouTubeHarness.Span(TimeSpan.FromMilliseconds(300)) },
            new YouTubeSimulatorOptions { TimeoutDelay = TimeSpan.FromSeconds(20) });
        harness.Simulator.FailNext(1, SimulatedYouTubeFault.Timeout);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Null(error.HttpStatus);
    }

    [Fact]
    public async Task A_failed_poll_loses_nothing_the_next_poll_with_the_same_cursor_returns_it()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var before = await harness.PollAsync();
        var id = harness.Simulator.AddComment(harness.VideoId, "arrives during an outage");
        harness.Simulator.FailNext(2, SimulatedYouTubeFault.InternalServerError);

        await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync(before.NextCursor));
        await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync(before.NextCursor));
        var after = await harness.PollAsync(before.NextCursor);

        Assert.Equal([id], after.Comments.Select(c => c.ExternalId));
    }

    [Fact]
    public async Task A_hide_whose_answer_is_lost_can_be_repeated_harmlessly()
    {
        await using var harness = await YouTubeHarness.StartAsync(
            new() { ["YouTube:RequestTimeout"] = YouTubeHarness.Span(TimeSpan.FromMilliseconds(300)) },
            new YouTubeSimulatorOptions { TimeoutDelay = TimeSpan.FromSeconds(20) });
        var id = harness.Simulator.AddComment(harness.VideoId, "hide me");
        harness.Simulator.FailNext(1, SimulatedYouTubeFault.TimeoutAfterApplying);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, id, CancellationToken.None));
        await harness.Connector.HideAsync(harness.Access, id, CancellationToken.None);

        Assert.Equal(PlatformErrorKind.Transient, error.Kind);
        Assert.Equal(YouTubeModerationStatus.HeldForReview, harness.Simulator.Comment(id).ModerationStatus);
        Assert.Equal(2, harness.Simulator.Comment(id).HeldForReviewCalls);
    }

    [Theory]
    [InlineData(403, "quotaExceeded", false, PlatformErrorKind.RateLimited)]
    [InlineData(403, "rateLimitExceeded", false, PlatformErrorKind.RateLimited)]
    [InlineData(403, "forbidden", true, PlatformErrorKind.CannotHide)]
    [InlineData(403, "forbidden", false, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(403, "commentsDisabled", false, PlatformErrorKind.NotFound)]
    [InlineData(404, "commentNotFound", true, PlatformErrorKind.NotFound)]
    [InlineData(404, "videoNotFound", false, PlatformErrorKind.NotFound)]
    [InlineData(400, "processingFailure", true, PlatformErrorKind.Transient)]
    [InlineData(400, "invalidPageToken", false, PlatformErrorKind.BadRequest)]
    [InlineData(401, null, false, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(503, null, false, PlatformErrorKind.Transient)]
    [InlineData(429, null, false, PlatformErrorKind.RateLimited)]
    public void Google_errors_map_to_the_kind_the_caller_acts_on(int status, string? reason, bool moderating, PlatformErrorKind expected)
    {
        Assert.Equal(expected, YouTubeErrorMapper.Classify((System.Net.HttpStatusCode)status, reason, moderating));
    }
}
