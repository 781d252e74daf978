using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class XTokenTests
{
    [Theory]
    [InlineData("")]
    [InlineData("confidential-secret")]
    public async Task Expired_access_token_is_refreshed_and_the_rotated_secret_saved_before_the_call_succeeds(string clientSecret)
    {
        await using var x = await XHarness.StartAsync(simulatorOptions: new XSimulatorOptions { ClientSecret = clientSecret });
        x.SchoolPostWithReplies(2);
        var before = XCredentials.TryParse(x.Secret)!;
        x.Clock.Advance(TimeSpan.FromHours(3));

        var batch = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);

        Assert.Equal(2, batch.Comments.Count);
        Assert.Equal(1, x.Simulator.Refreshes);
        var saved = XCredentials.TryParse(Assert.Single(x.SavedSecrets))!;
        Assert.NotEqual(before.AccessToken, saved.AccessToken);
        Assert.NotEqual(before.RefreshToken, saved.RefreshToken);
        Assert.Equal(x.Clock.GetUtcNow() + x.Simulator.Options.AccessTokenLifetime, saved.ExpiresAt);
        Assert.Equal((before.UserId, before.Username), (saved.UserId, saved.Username));
        Assert.Equal(x.Secret, x.Access.AccessToken);
    }

    [Fact]
    public async Task A_401_before_the_expiry_time_refreshes_once_and_retries()
    {
        await using var x = await XHarness.StartAsync();
        var (_, replies) = x.SchoolPostWithReplies(1);
        x.Simulator.ExpireAccessTokens(x.School.Id);

        await x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None);

        Assert.True(x.Simulator.Post(replies[0]).IsHidden);
        Assert.Equal(1, x.Simulator.Refreshes);
        Assert.Equal(2, x.Simulator.Calls(XSimulatorEndpoints.Hide));
        Assert.Single(x.SavedSecrets);
    }

    [Fact]
    public async Task A_second_page_access_with_the_spent_secret_uses_the_refreshed_tokens_instead_of_failing()
    {
        await using var x = await XHarness.StartAsync();
        x.SchoolPostWithReplies(1);
        var stale = x.Secret;
        x.Clock.Advance(TimeSpan.FromHours(3));
        await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);

        var other = new PageAccess(x.School.Id, stale);
        var batch = await x.Connector.ListNewCommentsAsync(other, null, CancellationToken.None);

        Assert.Single(batch.Comments);
        Assert.Equal(1, x.Simulator.Refreshes);
        Assert.Single(x.SavedSecrets);
    }

    [Fact]
    public async Task Revoked_access_is_authorization_failed_so_the_page_needs_reconnecting()
    {
        await using var x = await XHarness.StartAsync();
        var (_, replies) = x.SchoolPostWithReplies(1);
        x.Simulator.RevokeAccess(x.School.Id);

        var poll = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));
        x.Clock.Advance(TimeSpan.FromHours(3));
        var hide = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None));

        Assert.Equal(PlatformErrorKind.AuthorizationFailed, poll.Kind);
        Assert.True(poll.PageNeedsReconnect);
        Assert.Equal(400, poll.HttpStatus);
        Assert.Equal(PlatformErrorKind.AuthorizationFailed, hide.Kind);
        Assert.Empty(x.SavedSecrets);
        Assert.False(x.Simulator.Post(replies[0]).IsHidden);
    }

    [Fact]
    public async Task Stored_secret_that_is_not_an_X_token_document_is_authorization_failed()
    {
        await using var x = await XHarness.StartAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(new PageAccess(x.School.Id, "EAA-a-facebook-token"), null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.AuthorizationFailed, error.Kind);
        Assert.Equal(0, x.Simulator.Calls(XSimulatorEndpoints.Search));
    }
}
