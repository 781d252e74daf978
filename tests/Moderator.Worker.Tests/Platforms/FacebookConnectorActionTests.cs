using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookConnectorActionTests
{
    [Fact]
    public async Task Hide_then_unhide_changes_the_comment_on_the_platform_and_each_is_counted_once()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        var comment = harness.Simulator.AddComment(post, "harmful");
        var bystander = harness.Simulator.AddComment(post, "benign");

        await harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None);
        var hidden = harness.Simulator.Comment(comment);
        Assert.True(hidden.IsHidden);
        Assert.NotNull(hidden.HiddenAt);
        Assert.Equal(1, hidden.HideCalls);

        await harness.Connector.UnhideAsync(harness.Access, comment, CancellationToken.None);
        var shown = harness.Simulator.Comment(comment);
        Assert.False(shown.IsHidden);
        Assert.Equal(1, shown.HideCalls);
        Assert.Equal(1, shown.UnhideCalls);
        Assert.Equal(1, harness.Simulator.Calls(SimulatorEndpoints.Hide));
        Assert.Equal(1, harness.Simulator.Calls(SimulatorEndpoints.Unhide));
        Assert.Equal(0, harness.Simulator.Comment(bystander).HideCalls);
    }

    [Fact]
    public async Task Delete_removes_the_comment_from_listings_and_a_second_delete_is_not_found()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Nativity");
        var comment = harness.Simulator.AddComment(post, "to delete");
        var kept = harness.Simulator.AddComment(post, "to keep");

        await harness.Connector.DeleteAsync(harness.Access, comment, CancellationToken.None);
        var again = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.DeleteAsync(harness.Access, comment, CancellationToken.None));
        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);

        Assert.True(harness.Simulator.Comment(comment).IsDeleted);
        Assert.Equal(1, harness.Simulator.Comment(comment).DeleteCalls);
        Assert.Equal(PlatformErrorKind.NotFound, again.Kind);
        Assert.Equal(100, again.ErrorCode);
        Assert.Equal(33, again.ErrorSubcode);
        Assert.Equal(kept, Assert.Single(batch.Comments).ExternalId);
    }

    [Fact]
    public async Task Hiding_an_unknown_comment_is_not_found()
    {
        await using var harness = await GraphHarness.StartAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, "999_999", CancellationToken.None));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.False(error.PageNeedsReconnect);
    }

    [Fact]
    public async Task A_comment_of_another_page_cannot_be_hidden_with_this_page_token()
    {
        await using var harness = await GraphHarness.StartAsync();
        var other = harness.Simulator.AddPage("Another school");
        var post = harness.Simulator.AddPost(other.Id, "Theirs");
        var comment = harness.Simulator.AddComment(post, "not ours");

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, comment, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.NotFound, error.Kind);
        Assert.False(harness.Simulator.Comment(comment).IsHidden);
    }
}
