using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class XConnectorTests
{
    [Fact]
    public async Task First_poll_follows_next_token_through_every_page_of_replies()
    {
        await using var x = await XHarness.StartAsync(new() { ["X:MaxResultsPerPage"] = "10" });
        var (post, replies) = x.SchoolPostWithReplies(25);

        var batch = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);

        Assert.Equal(replies.Order(StringComparer.Ordinal), batch.Comments.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
        Assert.All(batch.Comments, c =>
        {
            Assert.Equal(Platform.X, c.Platform);
            Assert.Equal(post, c.PostExternalId);
            Assert.Null(c.ParentExternalId);
            Assert.Equal(x.Parent.Id, c.AuthorExternalId);
            Assert.Equal("Priya Kettering", c.AuthorDisplayName);
            Assert.StartsWith("A reply ", c.Text, StringComparison.Ordinal);
        });
        Assert.Equal(new XCursor(replies.Max(Comparer<string>.Create(XSnowflake.Compare)), null, null, [post]).Format(), batch.NextCursor);

        // Three pages of replies, then one search of the newly learned conversation for replies not addressed to the school.
        Assert.Equal(4, x.Simulator.Calls(XSimulatorEndpoints.Search));
        Assert.Equal(new XPollCost(4, 25, XHarness.Start), x.Meter.LastPoll(x.School.Id));
        Assert.Equal(25, await x.Meter.PostReadsThisMonthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Since_id_cursor_returns_only_new_replies_and_never_repeats_one()
    {
        await using var x = await XHarness.StartAsync(new() { ["X:MaxResultsPerPage"] = "10" });
        var (post, first) = x.SchoolPostWithReplies(12);

        var one = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        x.Clock.Advance(TimeSpan.FromMinutes(1));
        var schoolAnswer = x.Simulator.AddReply(first[3], x.School.Id, "Thank you, see you there");
        var later = new[] { x.Simulator.AddReply(post, x.Parent.Id, "late 1"), x.Simulator.AddReply(schoolAnswer, x.Parent.Id, "late 2") };
        var two = await x.Connector.ListNewCommentsAsync(x.Access, one.NextCursor, CancellationToken.None);
        var three = await x.Connector.ListNewCommentsAsync(x.Access, two.NextCursor, CancellationToken.None);

        Assert.Equal(12, one.Comments.Count);
        Assert.Equal(later.Order(StringComparer.Ordinal), two.Comments.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
        Assert.Equal(schoolAnswer, Assert.Single(two.Comments, c => c.ExternalId == later[1]).ParentExternalId);
        Assert.DoesNotContain(two.Comments, c => c.AuthorExternalId == x.School.Id);
        Assert.Empty(three.Comments);
        Assert.Equal(two.NextCursor, three.NextCursor);
        var all = one.Comments.Concat(two.Comments).Concat(three.Comments).Select(c => c.ExternalId).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public async Task A_backlog_larger_than_the_page_budget_is_finished_by_the_next_poll_without_gaps_or_repeats()
    {
        await using var x = await XHarness.StartAsync(new() { ["X:MaxResultsPerPage"] = "10", ["X:MaxPagesPerPoll"] = "2" });
        var (post, replies) = x.SchoolPostWithReplies(35);

        var one = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        x.Clock.Advance(TimeSpan.FromMinutes(1));
        var newest = x.Simulator.AddReply(post, x.Parent.Id, "arrived during the backlog");
        var two = await x.Connector.ListNewCommentsAsync(x.Access, one.NextCursor, CancellationToken.None);
        var three = await x.Connector.ListNewCommentsAsync(x.Access, two.NextCursor, CancellationToken.None);

        Assert.Equal(20, one.Comments.Count);
        Assert.Contains("until=", one.NextCursor, StringComparison.Ordinal);
        Assert.Equal(15, two.Comments.Count);
        Assert.Equal(newest, Assert.Single(three.Comments).ExternalId);
        var all = one.Comments.Concat(two.Comments).Concat(three.Comments).Select(c => c.ExternalId).ToList();
        Assert.Equal(replies.Append(newest).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task First_poll_reads_only_the_configured_lookback()
    {
        await using var x = await XHarness.StartAsync(new() { ["X:FirstPollLookback"] = XHarness.Span(TimeSpan.FromHours(6)) });
        var post = x.Simulator.AddPost(x.School.Id, "Post", XHarness.Start - TimeSpan.FromDays(2));
        x.Simulator.AddReply(post, x.Parent.Id, "old", XHarness.Start - TimeSpan.FromDays(1));
        var recent = x.Simulator.AddReply(post, x.Parent.Id, "recent", XHarness.Start - TimeSpan.FromHours(1));

        var batch = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);

        Assert.Equal(recent, Assert.Single(batch.Comments).ExternalId);
    }

    [Fact]
    public async Task A_cursor_older_than_the_seven_day_search_window_falls_back_to_the_whole_window()
    {
        await using var x = await XHarness.StartAsync();
        var (_, replies) = x.SchoolPostWithReplies(3);
        var stale = new XCursor(XSnowflake.IdAt(XHarness.Start - TimeSpan.FromDays(9), 1), null, null).Format();

        var batch = await x.Connector.ListNewCommentsAsync(x.Access, stale, CancellationToken.None);

        Assert.Equal(replies.Order(StringComparer.Ordinal), batch.Comments.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Hide_and_unhide_a_reply_in_the_schools_own_conversation()
    {
        await using var x = await XHarness.StartAsync();
        var (_, replies) = x.SchoolPostWithReplies(1);

        await x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None);
        var hidden = x.Simulator.Post(replies[0]);
        await x.Connector.UnhideAsync(x.Access, replies[0], CancellationToken.None);
        var shown = x.Simulator.Post(replies[0]);

        Assert.True(hidden.IsHidden);
        Assert.Equal(1, hidden.HideCalls);
        Assert.False(shown.IsHidden);
        Assert.Equal(1, shown.UnhideCalls);
    }

    [Fact]
    public async Task Delete_is_impossible_on_X_so_it_hides_the_reply_instead()
    {
        await using var x = await XHarness.StartAsync();
        var (_, replies) = x.SchoolPostWithReplies(1);

        await x.Connector.DeleteAsync(x.Access, replies[0], CancellationToken.None);

        var state = x.Simulator.Post(replies[0]);
        Assert.True(state.IsHidden);
        Assert.False(state.IsDeleted);
        Assert.Contains(x.Logs.Lines, l => l.Contains("[5310]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hiding_a_reply_in_a_conversation_the_school_did_not_start_is_cannot_hide()
    {
        await using var x = await XHarness.StartAsync();
        var news = x.Simulator.AddAccount("ExampleTownNews", "Example Town News");
        var root = x.Simulator.AddPost(news.Id, "Oakfield wins the reading award");
        var schoolAnswer = x.Simulator.AddReply(root, x.School.Id, "Thank you!");
        var reply = x.Simulator.AddReply(schoolAnswer, x.Parent.Id, "a reply the school cannot hide");

        var polled = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.HideAsync(x.Access, reply, CancellationToken.None));

        Assert.Equal(root, Assert.Single(polled.Comments).PostExternalId);
        Assert.Equal(PlatformErrorKind.CannotHide, error.Kind);
        Assert.Equal(403, error.HttpStatus);
        Assert.False(error.IsRetryable);
        Assert.False(error.PageNeedsReconnect);
        Assert.False(x.Simulator.Post(reply).IsHidden);
        Assert.Equal(0, x.Simulator.Post(reply).HideCalls);
    }

    [Fact]
    public async Task Reading_one_reply_returns_it_and_a_deleted_one_is_not_found()
    {
        await using var x = await XHarness.StartAsync();
        var (post, replies) = x.SchoolPostWithReplies(2);
        x.Simulator.DeletePost(replies[1]);

        var comment = await x.Connector.GetCommentAsync(x.Access, post, replies[0], CancellationToken.None);
        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.GetCommentAsync(x.Access, post, replies[1], CancellationToken.None));

        Assert.Equal("A reply 0", comment.Text);
        Assert.Equal(post, comment.PostExternalId);
        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task Replies_between_other_people_deep_in_the_schools_own_conversation_are_found_too()
    {
        await using var x = await XHarness.StartAsync();
        var other = x.Simulator.AddAccount("otherparent", "Tom Ashdown");
        var (post, replies) = x.SchoolPostWithReplies(1);
        var nestedBefore = x.Simulator.AddReply(replies[0], other.Id, "a reply to the parent, not to the school", XHarness.Start - TimeSpan.FromMinutes(10));
        var news = x.Simulator.AddAccount("TownNewsDesk", "Town News");
        var foreignRoot = x.Simulator.AddPost(news.Id, "Town news");
        x.Simulator.AddReply(x.Simulator.AddReply(foreignRoot, x.Parent.Id, "a thread the school is not in"), other.Id, "not the school's business");

        var one = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        x.Clock.Advance(TimeSpan.FromMinutes(1));
        var nestedLater = x.Simulator.AddReply(nestedBefore, x.Parent.Id, "and a reply to that");
        var two = await x.Connector.ListNewCommentsAsync(x.Access, one.NextCursor, CancellationToken.None);

        Assert.Equal([replies[0], nestedBefore], one.Comments.Select(c => c.ExternalId).Order(Comparer<string>.Create(XSnowflake.Compare)));
        Assert.Equal(replies[0], Assert.Single(one.Comments, c => c.ExternalId == nestedBefore).ParentExternalId);
        Assert.Equal(post, XCursor.Parse(one.NextCursor).Conversations.Single());
        var later = Assert.Single(two.Comments);
        Assert.Equal(nestedLater, later.ExternalId);
        Assert.Equal(post, later.PostExternalId);
    }

    [Fact]
    public void Replies_query_names_the_account_and_its_newest_conversations_within_512_characters()
    {
        var conversations = Enumerable.Range(1, 20).Select(i => XSnowflake.IdAt(XHarness.Start.AddMinutes(i), i)).ToList();

        var query = XRepliesQuery.For("OakfieldPrimary", conversations, includeReplies: true);
        var deeper = XRepliesQuery.For("OakfieldPrimary", conversations.Take(2), includeReplies: false);

        Assert.Equal("to:OakfieldPrimary is:reply", XRepliesQuery.For("OakfieldPrimary", [], includeReplies: true));
        Assert.True(query.Length <= XRepliesQuery.MaxLength);
        Assert.StartsWith("(to:OakfieldPrimary OR conversation_id:" + conversations[^1] + " OR ", query, StringComparison.Ordinal);
        Assert.DoesNotContain(conversations[0], query, StringComparison.Ordinal);
        Assert.Equal($"(conversation_id:{conversations[1]} OR conversation_id:{conversations[0]}) is:reply -to:OakfieldPrimary", deeper);
    }
}
