using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class YouTubeAuthTests
{
    [Fact]
    public async Task An_access_token_about_to_expire_is_refreshed_first_and_the_new_secret_saved()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var before = YouTubeDataClient.ReadCredentials(harness.Access);
        harness.Simulator.AddComment(harness.VideoId, "hello");
        harness.Clock.Advance(TimeSpan.FromMinutes(59));

        var batch = await harness.PollAsync();

        Assert.Single(batch.Comments);
        Assert.Equal(1, harness.Simulator.Calls(YouTubeSimulatorEndpoints.Token));
        var saved = YouTubeDataClient.ReadCredentials(harness.NewAccess(Assert.Single(harness.SavedSecrets)));
        Assert.NotEqual(before.AccessToken, saved.AccessToken);
        Assert.Equal(before.RefreshToken, saved.RefreshToken);
        Assert.Equal(harness.Channel.Id, saved.ChannelId);
        Assert.True(saved.ExpiresAt > harness.Clock.GetUtcNow() + TimeSpan.FromMinutes(50));
        Assert.Equal(saved, YouTubeDataClient.ReadCredentials(harness.Access));
    }

    [Fact]
    public async Task A_valid_token_is_used_without_refreshing()
    {
        await using var harness = await YouTubeHarness.StartAsync();

        await harness.PollAsync();
        await harness.PollAsync();

        Assert.Equal(0, harness.Simulator.Calls(YouTubeSimulatorEndpoints.Token));
        Assert.Empty(harness.SavedSecrets);
    }

    [Fact]
    public async Task A_401_refreshes_the_token_once_and_repeats_the_call()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var id = harness.Simulator.AddComment(harness.VideoId, "hello");
        harness.Simulator.ExpireAccessTokens(harness.Channel.Id);

        await harness.Connector.HideAsync(harness.Access, id, CancellationToken.None);

        Assert.Equal(1, harness.Simulator.Calls(YouTubeSimulatorEndpoints.Token));
        Assert.Equal(2, harness.Simulator.Calls(YouTubeSimulatorEndpoints.SetModerationStatus));
        Assert.Equal(1, harness.Simulator.Comment(id).HeldForReviewCalls);
        Assert.Single(harness.SavedSecrets);
    }

    [Fact]
    public async Task A_revoked_grant_fails_as_authorization_failed_so_the_page_needs_reconnecting()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        harness.Simulator.RevokeAccess(harness.Channel.Id);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.AuthorizationFailed, error.Kind);
        Assert.True(error.PageNeedsReconnect);
        Assert.Equal(1, harness.Simulator.Calls(YouTubeSimulatorEndpoints.Token));
        Assert.Empty(harness.SavedSecrets);
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[5402]", StringComparison.Ordinal) && l.Contains("invalid_grant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_client_secret_is_a_configuration_error_not_a_reconnect()
    {
        await using var harness = await YouTubeHarness.StartAsync(new() { ["YouTube:ClientSecret"] = "not-the-secret" });
        harness.Simulator.ExpireAccessTokens(harness.Channel.Id);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.BadRequest, error.Kind);
        Assert.False(error.PageNeedsReconnect);
        Assert.Equal(401, error.HttpStatus);
    }

    [Fact]
    public async Task Unreadable_stored_credentials_need_reconnecting_and_call_nothing()
    {
        await using var harness = await YouTubeHarness.StartAsync();

        var error = await Assert.ThrowsAsync<PlatformException>(
            () => harness.Connector.ListNewCommentsAsync(harness.NewAccess("EAA-not-a-youtube-secret"), null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.AuthorizationFailed, error.Kind);
        Assert.Equal(0, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads) + harness.Simulator.Calls(YouTubeSimulatorEndpoints.Token));
    }

    [Fact]
    public async Task Without_a_configured_client_a_due_refresh_fails_as_a_configuration_error()
    {
        await using var harness = await YouTubeHarness.StartAsync(new() { ["YouTube:ClientId"] = "", ["YouTube:ClientSecret"] = "" });
        harness.Clock.Advance(TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        Assert.Equal(PlatformErrorKind.BadRequest, error.Kind);
        Assert.Contains("YouTube:ClientId", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.Calls(YouTubeSimulatorEndpoints.Token));
    }
}
