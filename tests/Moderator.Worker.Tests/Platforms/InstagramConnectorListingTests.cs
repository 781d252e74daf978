using Moderator.Core;
using Moderator.Worker.Platforms.Instagram;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class InstagramConnectorListingTests
{
    [Fact]
    public async Task Listing_pages_through_comments_fifty_at_a_time_and_returns_each_of_120_once()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        var start = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30);
        var expected = Enumerable.Range(0, 120)
            .Select(i => harness.Simulator.AddComment(media, $"comment {i}", timestamp: start + TimeSpan.FromSeconds(i)))
            .ToHashSet();

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, cursor: null, CancellationToken.None);

        Assert.Equal(120, batch.Comments.Count);
        Assert.True(expected.SetEquals(batch.Comments.Select(c => c.ExternalId)));
        Assert.Equal(3, harness.Simulator.Calls(InstagramSimulatorEndpoints.Comments));
        Assert.Equal(1, harness.Simulator.Calls(InstagramSimulatorEndpoints.Media));
    }

    [Fact]
    public async Task Media_listing_follows_next_links_up_to_the_configured_number_of_media()
    {
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:MaxMediaPerPoll"] = "130" });
        var start = DateTimeOffset.UtcNow - TimeSpan.FromDays(2);
        for (var i = 0; i < 140; i++)
        {
            harness.Simulator.AddMedia(harness.Account.Id, $"post {i}", start + TimeSpan.FromMinutes(i));
        }

        var media = await harness.Graph.ListRecentMediaAsync(harness.Access, start - TimeSpan.FromDays(1), 130, CancellationToken.None);

        Assert.Equal(130, media.Count);
        Assert.Equal(130, media.Select(m => m.Id).Distinct().Count());
        Assert.True(media.Zip(media.Skip(1)).All(pair => pair.First.Timestamp >= pair.Second.Timestamp), "newest first");
        Assert.Equal(2, harness.Simulator.Calls(InstagramSimulatorEndpoints.Media));
    }

    [Fact]
    public async Task Comments_carry_media_author_time_permalink_hidden_state_and_reply_parent()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Science fair");
        var created = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        var top = harness.Simulator.AddComment(media, "Love the volcano", "claire.whitfield_", timestamp: created);
        var reply = harness.Simulator.AddComment(media, "Same!", "dan_osei84", parentCommentId: top, timestamp: created + TimeSpan.FromSeconds(5));
        await harness.Connector.HideAsync(harness.Access, reply, CancellationToken.None);

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        var first = Assert.Single(batch.Comments, c => c.ExternalId == top);
        Assert.Equal(Platform.Instagram, first.Platform);
        Assert.Equal(media, first.PostExternalId);
        Assert.Null(first.ParentExternalId);
        Assert.Equal("Love the volcano", first.Text);
        Assert.Equal("claire.whitfield_", first.AuthorDisplayName);
        Assert.Equal(harness.Simulator.Comment(top).AuthorId, first.AuthorExternalId);
        Assert.Equal(created, first.CreatedAt);
        Assert.StartsWith("https://www.instagram.com/p/", first.Permalink?.ToString(), StringComparison.Ordinal);
        Assert.False(first.IsHidden);
        var second = Assert.Single(batch.Comments, c => c.ExternalId == reply);
        Assert.Equal(top, second.ParentExternalId);
        Assert.True(second.IsHidden);
        Assert.Equal(2, batch.Comments.Count);
    }

    [Fact]
    public async Task Second_poll_returns_only_unseen_ids_including_a_backdated_comment_and_a_new_reply_on_an_old_comment()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Football final", now - TimeSpan.FromHours(3));
        var old = harness.Simulator.AddComment(media, "old", timestamp: now - TimeSpan.FromHours(2));
        for (var i = 0; i < 60; i++)
        {
            harness.Simulator.AddComment(media, $"newer {i}", timestamp: now - TimeSpan.FromMinutes(60 - i));
        }

        var first = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        Assert.Equal(61, first.Comments.Count);

        // No time filter can find these: one stamped long before the newest seen, one reply under the oldest comment.
        var backdated = harness.Simulator.AddComment(media, "indexed late", timestamp: now - TimeSpan.FromHours(1.5));
        var lateReply = harness.Simulator.AddComment(media, "replying to an old one", parentCommentId: old, timestamp: now);
        var fresh = harness.Simulator.AddComment(media, "fresh", timestamp: now);
        var second = await harness.Connector.ListNewCommentsAsync(harness.Access, first.NextCursor, CancellationToken.None);
        var third = await harness.Connector.ListNewCommentsAsync(harness.Access, second.NextCursor, CancellationToken.None);

        Assert.Equal(new HashSet<string> { backdated, lateReply, fresh }, second.Comments.Select(c => c.ExternalId).ToHashSet());
        Assert.Equal(3, second.Comments.Count);
        Assert.Empty(third.Comments);
    }

    [Fact]
    public async Task First_poll_records_older_history_as_seen_and_returns_only_the_lookback_window()
    {
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:FirstPollLookback"] = "1.00:00:00" });
        var now = DateTimeOffset.UtcNow;
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Autumn walk", now - TimeSpan.FromDays(5));
        harness.Simulator.AddComment(media, "last week", timestamp: now - TimeSpan.FromDays(4));
        var recent = harness.Simulator.AddComment(media, "this morning", timestamp: now - TimeSpan.FromHours(2));

        var first = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        var second = await harness.Connector.ListNewCommentsAsync(harness.Access, first.NextCursor, CancellationToken.None);

        Assert.Equal([recent], first.Comments.Select(c => c.ExternalId));
        Assert.Empty(second.Comments);
    }

    [Fact]
    public async Task Media_whose_comment_count_did_not_move_are_skipped_until_the_next_full_scan()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:FullScanInterval"] = "00:15:00" }, clock: clock);
        var quiet = harness.Simulator.AddMedia(harness.Account.Id, "Quiet", clock.GetUtcNow() - TimeSpan.FromHours(2));
        var busy = harness.Simulator.AddMedia(harness.Account.Id, "Busy", clock.GetUtcNow() - TimeSpan.FromHours(1));
        harness.Simulator.AddComment(quiet, "one");
        harness.Simulator.AddComment(busy, "two");
        var first = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        var afterFirst = harness.Simulator.Calls(InstagramSimulatorEndpoints.Comments);

        clock.Advance(TimeSpan.FromMinutes(1));
        var added = harness.Simulator.AddComment(busy, "three");
        var second = await harness.Connector.ListNewCommentsAsync(harness.Access, first.NextCursor, CancellationToken.None);
        var afterSecond = harness.Simulator.Calls(InstagramSimulatorEndpoints.Comments);

        clock.Advance(TimeSpan.FromMinutes(15));
        var third = await harness.Connector.ListNewCommentsAsync(harness.Access, second.NextCursor, CancellationToken.None);

        Assert.Equal(2, afterFirst);
        Assert.Equal([added], second.Comments.Select(c => c.ExternalId));
        Assert.Equal(1, afterSecond - afterFirst);
        Assert.Empty(third.Comments);
        Assert.Equal(2, harness.Simulator.Calls(InstagramSimulatorEndpoints.Comments) - afterSecond);
    }

    [Fact]
    public async Task Replies_beyond_the_inline_page_are_read_from_the_replies_edge()
    {
        await using var harness = await InstagramHarness.StartAsync();
        harness.Simulator.InlineReplies = 2;
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Christmas fair");
        var top = harness.Simulator.AddComment(media, "Cake stall?");
        var replies = Enumerable.Range(0, 5).Select(i => harness.Simulator.AddComment(media, $"reply {i}", parentCommentId: top)).ToList();

        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        var direct = await harness.Graph.ListRepliesAsync(harness.Access, top, CancellationToken.None);

        Assert.Equal([top, .. replies], batch.Comments.Select(c => c.ExternalId));
        Assert.All(batch.Comments.Skip(1), c => Assert.Equal(top, c.ParentExternalId));
        Assert.Equal(replies, direct.Select(r => r.Id));
        Assert.Equal(2, harness.Simulator.Calls(InstagramSimulatorEndpoints.Replies));
    }

    [Fact]
    public async Task A_media_that_leaves_the_scanned_window_leaves_the_cursor()
    {
        await using var harness = await InstagramHarness.StartAsync(new() { ["Instagram:MaxMediaPerPoll"] = "1", ["Instagram:SkipMediaWithUnchangedCommentCount"] = "false" });
        var older = harness.Simulator.AddMedia(harness.Account.Id, "Older", DateTimeOffset.UtcNow - TimeSpan.FromHours(2));
        var comment = harness.Simulator.AddComment(older, "hello");
        var first = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        harness.Simulator.AddMedia(harness.Account.Id, "Newer", DateTimeOffset.UtcNow - TimeSpan.FromHours(1));
        var second = await harness.Connector.ListNewCommentsAsync(harness.Access, first.NextCursor, CancellationToken.None);

        Assert.Equal([comment], first.Comments.Select(c => c.ExternalId));
        Assert.NotNull(InstagramCursor.Parse(first.NextCursor)!.Media(older));
        Assert.Null(InstagramCursor.Parse(second.NextCursor)!.Media(older));
        Assert.Equal(1, InstagramCursor.Parse(second.NextCursor)!.MediaCount);
    }

    [Theory]
    [InlineData("1763770000")]
    [InlineData("{\"v\":9,\"full\":0}")]
    [InlineData("{\"v\":1,\"full\":0,\"media\":{\"1\":{\"count\":1,\"seen\":\"AAE\"}}}")]
    public async Task A_cursor_that_is_not_an_instagram_cursor_is_refused(string cursor)
    {
        await using var harness = await InstagramHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, cursor, CancellationToken.None));
    }

    [Fact]
    public void The_cursor_keeps_eight_bytes_per_comment_and_never_an_id_in_clear()
    {
        var ids = Enumerable.Range(0, 500).Select(i => (17_850_000_000_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var cursor = InstagramCursor.Create(
            DateTimeOffset.FromUnixTimeSeconds(1_763_770_000),
            new Dictionary<string, MediaSeen> { ["17900000000000001"] = new(500, ids.Select(InstagramCursor.KeyOf).ToHashSet()) });

        var text = cursor.Format();
        var back = InstagramCursor.Parse(text)!;

        Assert.InRange(text.Length, 500 * 8 * 4 / 3, (500 * 8 * 4 / 3) + 100);
        Assert.DoesNotContain(ids[0], text, StringComparison.Ordinal);
        Assert.All(ids, id => Assert.True(back.Media("17900000000000001")!.HasSeen(id)));
        Assert.False(back.Media("17900000000000001")!.HasSeen("17850000000009999"));
        Assert.Equal(cursor.LastFullScan, back.LastFullScan);
    }
}
