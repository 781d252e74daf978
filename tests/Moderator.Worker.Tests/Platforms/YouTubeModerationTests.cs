using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class YouTubeModerationTests
{
    [Fact]
    public async Task Hide_holds_the_comment_for_review_and_unhide_publishes_it_again()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var id = harness.Simulator.AddComment(harness.VideoId, "to hold");

        await harness.Connector.HideAsync(harness.Access, id, CancellationToken.None);
        var held = harness.Simulator.Comment(id);
        await harness.Connector.UnhideAsync(harness.Access, id, CancellationToken.None);
        var restored = harness.Simulator.Comment(id);

        Assert.Equal(YouTubeModerationStatus.HeldForReview, held.ModerationStatus);
        Assert.Equal(YouTubeModerationStatus.Published, restored.ModerationStatus);
        Assert.Equal((1, 1, 0), (restored.HeldForReviewCalls, restored.PublishedCalls, restored.RejectedCalls));
        Assert.Equal(2 * YouTubeQuota.ModerationCost, harness.Simulator.QuotaSpentToday);
        Assert.Equal(harness.Simulator.QuotaSpentToday, await harness.Quota.SpentTodayAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Delete_rejects_the_comment_and_never_destroys_it()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var id = harness.Simulator.AddComment(harness.VideoId, "to remove");
        var reply = harness.Simulator.AddComment(harness.VideoId, "reply under it", parentId: id);

        await harness.Connector.DeleteAsync(harness.Access, id, CancellationToken.None);
        var batch = await harness.PollAsync();

        var state = harness.Simulator.Comment(id);
        Assert.Equal(YouTubeModerationStatus.Rejected, state.ModerationStatus);
        Assert.Equal(1, state.RejectedCalls);
        Assert.Equal(1, state.ModerationCalls);
        Assert.DoesNotContain(batch.Comments, c => c.ExternalId == id || c.ExternalId == reply);
    }

    [Fact]
    public async Task A_comment_on_a_video_the_channel_does_not_own_cannot_be_hidden()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var foreignVideo = harness.Simulator.AddVideo(harness.Channel.Id, "Local news report", ownedByChannel: false);
        var id = harness.Simulator.AddComment(foreignVideo, "on someone else's video");

        var listed = await harness.PollAsync();
        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, id, CancellationToken.None));

        Assert.Contains(listed.Comments, c => c.ExternalId == id && c.PostExternalId == foreignVideo);
        Assert.Equal(PlatformErrorKind.CannotHide, error.Kind);
        Assert.Equal(403, error.HttpStatus);
        Assert.False(error.IsRetryable);
        Assert.False(error.PageNeedsReconnect);
        Assert.Equal(YouTubeModerationStatus.Published, harness.Simulator.Comment(id).ModerationStatus);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[5406]", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hiding_a_comment_youtube_no_longer_has_is_not_found()
    {
        await using var harness = await YouTubeHarness.StartAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, "UgzGone", CancellationToken.None));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.Equal(404, error.HttpStatus);
    }

    [Fact]
    public async Task Hiding_twice_leaves_the_comment_held_and_counts_both_calls()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var id = harness.Simulator.AddComment(harness.VideoId, "twice");

        await harness.Connector.HideAsync(harness.Access, id, CancellationToken.None);
        await harness.Connector.HideAsync(harness.Access, id, CancellationToken.None);

        Assert.Equal(2, harness.Simulator.Comment(id).HeldForReviewCalls);
        Assert.Equal(2, harness.Simulator.Calls(YouTubeSimulatorEndpoints.SetModerationStatus));
        Assert.Equal(YouTubeModerationStatus.HeldForReview, harness.Simulator.Comment(id).ModerationStatus);
    }
}
