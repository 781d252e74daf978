using Moderator.Core.Platforms;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class InstagramConnectorActionTests
{
    [Fact]
    public async Task Hide_then_unhide_changes_the_comment_on_the_platform_and_each_call_is_counted()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Book week");
        var comment = harness.Simulator.AddComment(media, "text", "visitor.one");

        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);
        var hidden = harness.Simulator.Comment(comment);
        var publicWhileHidden = harness.Simulator.IsVisibleToPublic(comment);
        var authorWhileHidden = harness.Simulator.IsVisibleToAuthor(comment);
        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);
        await harness.Connector.UnhideAsync(harness.Access, comment, CancellationToken.None);

        Assert.True(hidden.IsHidden);
        Assert.NotNull(hidden.HiddenAt);
        Assert.False(publicWhileHidden);
        Assert.True(authorWhileHidden);
        var after = harness.Simulator.Comment(comment);
        Assert.False(after.IsHidden);
        Assert.Equal(2, after.HideCalls);
        Assert.Equal(1, after.UnhideCalls);
        Assert.True(harness.Simulator.IsVisibleToPublic(comment));
        Assert.Equal(2, harness.Simulator.Calls(InstagramSimulatorEndpoints.Hide));
        Assert.Equal(1, harness.Simulator.Calls(InstagramSimulatorEndpoints.Unhide));
    }

    [Fact]
    public async Task A_hidden_comment_by_the_account_itself_stays_visible_to_everyone()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Christmas fair");
        var own = harness.Simulator.AddComment(media, "Doors open at 11!", harness.Account.Name);

        await harness.Connector.HideAsync(harness.Access, own, CancellationToken.None);

        Assert.True(harness.Simulator.Comment(own).IsHidden);
        Assert.True(harness.Simulator.IsVisibleToPublic(own));
        Assert.Contains("own account", PlatformSemantics.For(Moderator.Core.Platform.Instagram).Limits, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_removes_the_comment_and_its_replies_and_a_second_delete_is_not_found()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "Science fair");
        var comment = harness.Simulator.AddComment(media, "text");
        var reply = harness.Simulator.AddComment(media, "reply", parentCommentId: comment);

        await harness.Connector.DeleteAsync(harness.Access, comment, CancellationToken.None);
        var again = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.DeleteAsync(harness.Access, comment, CancellationToken.None));
        var listed = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        Assert.True(harness.Simulator.Comment(comment).IsDeleted);
        Assert.True(harness.Simulator.Comment(reply).IsDeleted);
        Assert.Equal(1, harness.Simulator.Comment(comment).DeleteCalls);
        Assert.Equal(PlatformErrorKind.NotFound, again.Kind);
        Assert.False(harness.Simulator.IsVisibleToAuthor(comment));
        Assert.Empty(listed.Comments);
    }

    [Fact]
    public async Task Reading_one_comment_returns_it_with_its_media_and_a_deleted_one_is_not_found()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var media = harness.Simulator.AddMedia(harness.Account.Id, "New library");
        var comment = harness.Simulator.AddComment(media, "Lovely space", "rach.dunmore");

        var read = await harness.Connector.GetCommentAsync(harness.Access, "unknown-media", comment, CancellationToken.None);
        await harness.Connector.DeleteAsync(harness.Access, comment, CancellationToken.None);
        var gone = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.GetCommentAsync(harness.Access, media, comment, CancellationToken.None));

        Assert.Equal(media, read.PostExternalId);
        Assert.Equal("Lovely space", read.Text);
        Assert.Equal("rach.dunmore", read.AuthorDisplayName);
        Assert.Equal(PlatformErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task Hiding_a_comment_of_another_account_is_not_found_and_changes_nothing()
    {
        await using var harness = await InstagramHarness.StartAsync();
        var other = harness.Simulator.AddAccount("another.school");
        var media = harness.Simulator.AddMedia(other.Id, "Elsewhere");
        var comment = harness.Simulator.AddComment(media, "text");

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.False(harness.Simulator.Comment(comment).IsHidden);
    }
}
