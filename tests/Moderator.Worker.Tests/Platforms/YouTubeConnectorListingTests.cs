using Moderator.Core;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class YouTubeConnectorListingTests
{
    [Fact]
    public async Task First_poll_returns_top_level_comments_and_their_replies_as_plain_text()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var top = harness.Simulator.AddComment(harness.VideoId, "Great race <3 & well done", "Hannah Pryce");
        var reply = harness.Simulator.AddComment(harness.VideoId, "Agreed!", "Olu Adeyemi", parentId: top);

        var batch = await harness.PollAsync();

        Assert.Equal(new[] { top, reply }.Order(StringComparer.Ordinal), batch.Comments.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
        var first = batch.Comments.Single(c => c.ExternalId == top);
        Assert.Equal(Platform.YouTube, first.Platform);
        Assert.Equal("Great race <3 & well done", first.Text);
        Assert.Equal(harness.VideoId, first.PostExternalId);
        Assert.Null(first.ParentExternalId);
        Assert.Equal(harness.Simulator.Comment(top).AuthorChannelId, first.AuthorExternalId);
        Assert.False(first.IsHidden);
        Assert.Equal(YouTubeHarness.Start, first.CreatedAt);
        Assert.Contains(harness.VideoId, first.Permalink!.ToString(), StringComparison.Ordinal);
        Assert.Equal(top, batch.Comments.Single(c => c.ExternalId == reply).ParentExternalId);
        Assert.NotNull(batch.NextCursor);
    }

    [Fact]
    public async Task A_poll_follows_page_tokens_until_every_new_thread_is_read()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        for (var i = 0; i < 250; i++)
        {
            harness.Simulator.AddComment(harness.VideoId, $"comment {i}", publishedAt: YouTubeHarness.Start - TimeSpan.FromSeconds(i));
        }

        var batch = await harness.PollAsync();

        Assert.Equal(250, batch.Comments.Select(c => c.ExternalId).Distinct().Count());
        Assert.Equal(3, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
        Assert.Equal(3, await harness.Quota.SpentTodayAsync(CancellationToken.None));
        Assert.Equal(3, harness.Simulator.QuotaSpentToday);
    }

    [Fact]
    public async Task Incomplete_embedded_replies_are_read_in_full_with_comments_list()
    {
        await using var harness = await YouTubeHarness.StartAsync(simulatorOptions: new YouTubeSimulatorOptions { EmbeddedReplies = 5 });
        var top = harness.Simulator.AddComment(harness.VideoId, "Which day is the fair?");
        var replies = Enumerable.Range(0, 8).Select(i => harness.Simulator.AddComment(harness.VideoId, $"reply {i}", parentId: top)).ToList();
        var quiet = harness.Simulator.AddComment(harness.VideoId, "Lovely video");
        harness.Simulator.AddComment(harness.VideoId, "Thanks", parentId: quiet);

        var batch = await harness.PollAsync();

        Assert.Equal(11, batch.Comments.Count);
        Assert.All(replies, id => Assert.Contains(batch.Comments, c => c.ExternalId == id && c.ParentExternalId == top));
        Assert.Equal(1, harness.Simulator.Calls(YouTubeSimulatorEndpoints.Replies));
    }

    [Fact]
    public async Task Each_comment_is_returned_by_exactly_one_poll_even_inside_the_overlap()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var first = harness.Simulator.AddComment(harness.VideoId, "first");
        var second = harness.Simulator.AddComment(harness.VideoId, "second");
        var poll1 = await harness.PollAsync();

        harness.Clock.Advance(TimeSpan.FromSeconds(30));
        var third = harness.Simulator.AddComment(harness.VideoId, "third");
        var reply = harness.Simulator.AddComment(harness.VideoId, "reply", parentId: first);
        var poll2 = await harness.PollAsync(poll1.NextCursor);

        harness.Clock.Advance(TimeSpan.FromSeconds(30));
        var poll3 = await harness.PollAsync(poll2.NextCursor);

        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), poll1.Comments.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { reply, third }.Order(StringComparer.Ordinal), poll2.Comments.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
        Assert.Empty(poll3.Comments);
        Assert.Equal(poll2.NextCursor, poll3.NextCursor);
    }

    [Fact]
    public async Task Paging_stops_at_threads_older_than_the_cursor_window()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        for (var i = 0; i < 150; i++)
        {
            harness.Simulator.AddComment(harness.VideoId, $"old {i}", publishedAt: YouTubeHarness.Start - TimeSpan.FromDays(10) - TimeSpan.FromMinutes(i));
        }

        var fresh = harness.Simulator.AddComment(harness.VideoId, "new");

        var batch = await harness.PollAsync();

        Assert.Equal([fresh], batch.Comments.Select(c => c.ExternalId));
        Assert.Equal(1, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
    }

    [Fact]
    public async Task A_new_reply_under_a_thread_started_before_the_cursor_is_found()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var top = harness.Simulator.AddComment(harness.VideoId, "started yesterday", publishedAt: YouTubeHarness.Start - TimeSpan.FromHours(20));
        var poll1 = await harness.PollAsync();

        harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var reply = harness.Simulator.AddComment(harness.VideoId, "late reply", parentId: top);
        var poll2 = await harness.PollAsync(poll1.NextCursor);

        Assert.Equal([top], poll1.Comments.Select(c => c.ExternalId));
        Assert.Equal([reply], poll2.Comments.Select(c => c.ExternalId));
    }

    [Fact]
    public async Task A_comment_stamped_in_the_future_does_not_push_the_cursor_past_now()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        harness.Simulator.AddComment(harness.VideoId, "from a fast clock", publishedAt: YouTubeHarness.Start + TimeSpan.FromHours(1));

        var batch = await harness.PollAsync();

        Assert.Equal(YouTubeHarness.Start, YouTubeCursor.Parse(batch.NextCursor)!.Newest);
    }

    [Fact]
    public async Task Comments_held_for_review_are_not_listed_again()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var held = harness.Simulator.AddComment(harness.VideoId, "to hold");
        var kept = harness.Simulator.AddComment(harness.VideoId, "to keep");
        await harness.Connector.HideAsync(harness.Access, held, CancellationToken.None);

        var batch = await harness.PollAsync();

        Assert.Equal([kept], batch.Comments.Select(c => c.ExternalId));
    }

    [Fact]
    public async Task Reading_one_comment_returns_its_current_state_and_a_vanished_one_is_not_found()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var id = harness.Simulator.AddComment(harness.VideoId, "hello");
        await harness.Connector.HideAsync(harness.Access, id, CancellationToken.None);

        var comment = await harness.Connector.GetCommentAsync(harness.Access, harness.VideoId, id, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<Core.Platforms.PlatformException>(
            () => harness.Connector.GetCommentAsync(harness.Access, harness.VideoId, "Ugzmissing", CancellationToken.None));

        Assert.Equal("hello", comment.Text);
        Assert.True(comment.IsHidden);
        Assert.Equal(Core.Platforms.PlatformErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task A_poll_that_hits_the_page_cap_says_so_in_the_log()
    {
        await using var harness = await YouTubeHarness.StartAsync(new() { ["YouTube:MaxThreadPagesPerPoll"] = "2" });
        for (var i = 0; i < 250; i++)
        {
            harness.Simulator.AddComment(harness.VideoId, $"comment {i}", publishedAt: YouTubeHarness.Start - TimeSpan.FromSeconds(i));
        }

        var batch = await harness.PollAsync();

        Assert.Equal(200, batch.Comments.Count);
        Assert.Equal(2, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[5407]", StringComparison.Ordinal));
    }
}
