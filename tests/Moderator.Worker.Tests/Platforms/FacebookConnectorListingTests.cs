using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Facebook;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookConnectorListingTests
{
    [Fact]
    public async Task Listing_follows_next_links_and_returns_each_of_250_comments_once()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var start = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30);
        var expected = Enumerable.Range(0, 250)
            .Select(i => harness.Simulator.AddComment(post, $"comment {i}", createdTime: start + TimeSpan.FromSeconds(i)))
            .ToHashSet();

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, cursor: null, CancellationToken.None);

        Assert.Equal(250, batch.Comments.Count);
        Assert.True(expected.SetEquals(batch.Comments.Select(c => c.ExternalId)));
        Assert.Equal(3, harness.Simulator.Calls(SimulatorEndpoints.Comments));
        Assert.Equal(FacebookConnector.FormatCursor(start + TimeSpan.FromSeconds(249)), batch.NextCursor);
    }

    [Fact]
    public async Task Comments_carry_post_author_time_permalink_and_hidden_state()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Harvest festival");
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        var top = harness.Simulator.AddComment(post, "Lovely singing", "Claire Whitfield", createdTime: created);
        var reply = harness.Simulator.AddComment(post, "Agreed!", "Dan Osei", parentCommentId: top, createdTime: created + TimeSpan.FromSeconds(5));
        await harness.Connector.HideAsync(harness.Access, reply, CancellationToken.None);

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        var first = Assert.Single(batch.Comments, c => c.ExternalId == top);
        Assert.Equal(Platform.Facebook, first.Platform);
        Assert.Equal(post, first.PostExternalId);
        Assert.Null(first.ParentExternalId);
        Assert.Equal("Lovely singing", first.Text);
        Assert.Equal("Claire Whitfield", first.AuthorDisplayName);
        Assert.Equal(harness.Simulator.Comment(top).AuthorId, first.AuthorExternalId);
        Assert.Equal(created, first.CreatedAt);
        Assert.NotNull(first.Permalink);
        Assert.False(first.IsHidden);
        var second = Assert.Single(batch.Comments, c => c.ExternalId == reply);
        Assert.Equal(top, second.ParentExternalId);
        Assert.True(second.IsHidden);
    }

    [Fact]
    public async Task Second_poll_returns_only_comments_since_the_cursor_minus_the_overlap_and_can_skip_quiet_posts()
    {
        await using var harness = await GraphHarness.StartAsync(new() { ["Facebook:CursorOverlap"] = "00:02:00", ["Facebook:SkipPostsNotUpdatedSince"] = "true" });
        var now = DateTimeOffset.UtcNow;
        var busy = harness.Simulator.AddPost(harness.Page.Id, "Nativity", now - TimeSpan.FromHours(3));
        var quiet = harness.Simulator.AddPost(harness.Page.Id, "Parents evening", now - TimeSpan.FromHours(3));
        harness.Simulator.AddComment(busy, "old one", createdTime: now - TimeSpan.FromHours(2));
        harness.Simulator.AddComment(quiet, "old two", createdTime: now - TimeSpan.FromHours(2));
        var lastSeen = harness.Simulator.AddComment(busy, "seen", createdTime: now - TimeSpan.FromMinutes(10));

        var first = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        Assert.Equal(3, first.Comments.Count);
        var commentCallsAfterFirst = harness.Simulator.Calls(SimulatorEndpoints.Comments);

        var lateIndexed = harness.Simulator.AddComment(busy, "late indexed", createdTime: now - TimeSpan.FromMinutes(11));
        harness.Simulator.AddComment(busy, "indexed too late", createdTime: now - TimeSpan.FromMinutes(13));
        var fresh = harness.Simulator.AddComment(busy, "fresh", createdTime: now);
        var second = await harness.Connector.ListNewCommentsAsync(harness.Access, first.NextCursor, CancellationToken.None);

        // The overlap re-reads the last seen comment (callers upsert by id) and catches one indexed up to 2 minutes late.
        Assert.Equal([fresh, lastSeen, lateIndexed], second.Comments.Select(c => c.ExternalId));
        Assert.Equal(1, harness.Simulator.Calls(SimulatorEndpoints.Comments) - commentCallsAfterFirst);
        Assert.Equal(FacebookConnector.FormatCursor(now), second.NextCursor);
    }

    [Fact]
    public async Task By_default_every_recent_post_is_scanned_even_if_its_updated_time_did_not_move()
    {
        await using var harness = await GraphHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var first = harness.Simulator.AddPost(harness.Page.Id, "One", now - TimeSpan.FromHours(3));
        var second = harness.Simulator.AddPost(harness.Page.Id, "Two", now - TimeSpan.FromHours(3));
        var comment = harness.Simulator.AddComment(second, "new", createdTime: now);

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, FacebookConnector.FormatCursor(now - TimeSpan.FromMinutes(30)), CancellationToken.None);

        Assert.Equal(comment, Assert.Single(batch.Comments).ExternalId);
        Assert.Equal(2, harness.Simulator.Calls(SimulatorEndpoints.Comments));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_comment_stamped_in_the_future_does_not_move_the_cursor_past_now()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var harness = await GraphHarness.StartAsync(clock: clock);
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        harness.Simulator.AddComment(post, "from a fast clock", createdTime: clock.GetUtcNow() + TimeSpan.FromMinutes(10));

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        Assert.Single(batch.Comments);
        Assert.Equal(FacebookConnector.FormatCursor(clock.GetUtcNow()), batch.NextCursor);
    }

    [Fact]
    public async Task A_poll_that_finds_nothing_keeps_the_cursor()
    {
        await using var harness = await GraphHarness.StartAsync();
        harness.Simulator.AddPost(harness.Page.Id, "Welcome back");

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, "1700000000", CancellationToken.None);

        Assert.Empty(batch.Comments);
        Assert.Equal("1700000000", batch.NextCursor);
    }

    [Fact]
    public async Task Posts_older_than_the_lookback_are_not_scanned()
    {
        await using var harness = await GraphHarness.StartAsync(new() { ["Facebook:PostLookback"] = "1.00:00:00" });
        var old = harness.Simulator.AddPost(harness.Page.Id, "Last year", DateTimeOffset.UtcNow - TimeSpan.FromDays(3));
        var recent = harness.Simulator.AddPost(harness.Page.Id, "Today");
        harness.Simulator.AddComment(old, "on the old post");
        var onRecent = harness.Simulator.AddComment(recent, "on the recent post");

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        Assert.Equal(onRecent, Assert.Single(batch.Comments).ExternalId);
        Assert.Equal(1, harness.Simulator.Calls(SimulatorEndpoints.Comments));
    }

    [Fact]
    public async Task Post_listing_follows_paging_up_to_the_configured_maximum()
    {
        await using var harness = await GraphHarness.StartAsync(new() { ["Facebook:MaxPostsPerPoll"] = "130" });
        var start = DateTimeOffset.UtcNow - TimeSpan.FromHours(5);
        for (var i = 0; i < 150; i++)
        {
            harness.Simulator.AddPost(harness.Page.Id, $"post {i}", start + TimeSpan.FromMinutes(i));
        }

        var posts = await harness.Graph.ListRecentPostsAsync(harness.Access, start - TimeSpan.FromDays(1), 130, CancellationToken.None);

        Assert.Equal(130, posts.Count);
        Assert.Equal(130, posts.Select(p => p.Id).Distinct().Count());
        Assert.True(posts.Zip(posts.Skip(1)).All(pair => pair.First.CreatedTime >= pair.Second.CreatedTime));
        Assert.Equal(2, harness.Simulator.Calls(SimulatorEndpoints.PublishedPosts));
    }
}
