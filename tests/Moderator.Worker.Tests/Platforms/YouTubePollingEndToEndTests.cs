using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Security;
using Moderator.Core.Storage;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Polling;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// The worker's poller over a real database with the real YouTube connector against the simulator: comments are recorded,
/// a refreshed token is stored encrypted and used by the next poll, and a revoked channel moves the page to NeedsReconnect.
/// </summary>
public sealed class YouTubePollingEndToEndTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_poll_records_the_comments_and_stores_the_refreshed_token_encrypted_for_the_next_poll()
    {
        await using var setup = await SetupAsync();
        var original = setup.Secret;
        setup.Simulator.AddComment(setup.VideoId, "Lovely nativity, well done everyone");
        setup.Simulator.AddComment(setup.VideoId, "HIDE-ME this is abuse");
        setup.Clock.Advance(TimeSpan.FromMinutes(59));

        var first = await setup.Poller.PollAsync(setup.PageId, CancellationToken.None);
        var page = await setup.Organisation.GetPageAsync(setup.PageId);
        var stored = setup.Protector.Unprotect(page.CredentialsCiphertext!);
        setup.Clock.Advance(TimeSpan.FromMinutes(1));
        setup.Simulator.AddComment(setup.VideoId, "Another one");
        var second = await setup.Poller.PollAsync(setup.PageId, CancellationToken.None);

        Assert.Equal((2, 2, 1, "polled"), (first.Read, first.NewRevisions, first.Hidden, first.Outcome));
        Assert.Equal((1, 1), (second.Read, second.NewRevisions));
        Assert.DoesNotContain("ya29.", page.CredentialsCiphertext!, StringComparison.Ordinal);
        var refreshed = YouTubeDataClient.ReadCredentials(new Core.Platforms.PageAccess(setup.ChannelId, stored));
        Assert.NotEqual(YouTubeDataClient.ReadCredentials(new Core.Platforms.PageAccess(setup.ChannelId, original)).AccessToken, refreshed.AccessToken);
        Assert.Equal(1, setup.Simulator.Calls(YouTubeSimulatorEndpoints.Token));
        Assert.NotNull(page.Cursor);
    }

    [Fact]
    public async Task A_harmful_comment_is_held_for_review_on_youtube_once_through_the_outbox()
    {
        await using var setup = await SetupAsync();
        var harmful = setup.Simulator.AddComment(setup.VideoId, "HIDE-ME this is abuse");
        var benign = setup.Simulator.AddComment(setup.VideoId, "Lovely nativity");

        await setup.Poller.PollAsync(setup.PageId, CancellationToken.None);
        var dispatcher = setup.Services.GetRequiredService<OutboxDispatcher>();
        var first = await dispatcher.DispatchAsync("node-a");
        await setup.Poller.PollAsync(setup.PageId, CancellationToken.None);
        var second = await dispatcher.DispatchAsync("node-b");

        Assert.True(first.Succeeded >= 1, $"{first}");
        Assert.Equal(0, second.Claimed);
        Assert.Equal(YouTubeModerationStatus.HeldForReview, setup.Simulator.Comment(harmful).ModerationStatus);
        Assert.Equal(1, setup.Simulator.Comment(harmful).ModerationCalls);
        Assert.Equal(0, setup.Simulator.Comment(benign).ModerationCalls);
    }

    [Fact]
    public async Task A_revoked_channel_moves_the_page_to_needs_reconnect()
    {
        await using var setup = await SetupAsync();
        setup.Simulator.RevokeAccess(setup.ChannelId);

        var result = await setup.Poller.PollAsync(setup.PageId, CancellationToken.None);

        Assert.StartsWith("needs reconnect", result.Outcome, StringComparison.Ordinal);
        Assert.Equal(PageStatus.NeedsReconnect, (await setup.Organisation.GetPageAsync(setup.PageId)).Status);
    }

    [Fact]
    public async Task A_spent_quota_defers_the_poll_without_moving_the_cursor()
    {
        await using var setup = await SetupAsync(new YouTubeSimulatorOptions { DailyQuotaUnits = 1 });
        setup.Simulator.AddComment(setup.VideoId, "first");
        await setup.Poller.PollAsync(setup.PageId, CancellationToken.None);
        var cursor = (await setup.Organisation.GetPageAsync(setup.PageId)).Cursor;
        setup.Simulator.AddComment(setup.VideoId, "second");

        var deferred = await setup.Poller.PollAsync(setup.PageId, CancellationToken.None);

        Assert.Equal("deferred: RateLimited", deferred.Outcome);
        Assert.Equal(cursor, (await setup.Organisation.GetPageAsync(setup.PageId)).Cursor);
        Assert.Equal(PageStatus.Active, (await setup.Organisation.GetPageAsync(setup.PageId)).Status);
    }

    private async Task<Setup> SetupAsync(YouTubeSimulatorOptions? simulatorOptions = null)
    {
        var clock = new ManualTimeProvider(YouTubeHarness.Start);
        var simulator = new YouTubeSimulator(clock, simulatorOptions);
        var baseAddress = await simulator.StartAsync();
        var channel = simulator.AddChannel("Oakfield Primary School");
        var video = simulator.AddVideo(channel.Id, "Nativity");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["YouTube:BaseAddress"] = baseAddress.ToString(),
            ["YouTube:TokenEndpoint"] = simulator.TokenEndpoint!.ToString(),
            ["YouTube:ClientId"] = simulator.ClientId,
            ["YouTube:ClientSecret"] = simulator.ClientSecret,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.AddProvider(new LogCapture()));
        services.AddModeratorStorage(db.ConnectionString, migrateOnStart: false);
        services.AddModeratorWorkflow();
        services.AddModeratorDataProtection();
        services.AddYouTubeConnector(configuration);
        services.AddSingleton<ICommentScorer, KeywordScorer>();
        services.AddPagePolling();
        services.AddSingleton<IPlatformActions, PlatformActionExecutor>();
        services.AddOutboxDispatcher();
        services.AddSingleton<INotificationSender, DiscardingNotifications>();
        var provider = services.BuildServiceProvider();
        var protector = provider.GetRequiredService<SecretProtector>();
        var secret = simulator.CredentialsFor(channel.Id);
        var school = await Core.Workflow.DemoSchool.SeedAsync(
            provider.GetRequiredService<Organisation>(),
            provider.GetRequiredService<StaffDirectory>(),
            new DemoSchoolRequest("hash-not-a-real-password", Guid.NewGuid().ToString("N")[..8], Platform: Platform.YouTube)
            {
                PageExternalId = channel.Id,
                CredentialsCiphertext = protector.Protect(secret),
            });
        return new Setup(simulator, provider, clock, channel.Id, video, school.PageId, secret);
    }

    private sealed record Setup(YouTubeSimulator Simulator, ServiceProvider Services, ManualTimeProvider Clock, string ChannelId, string VideoId, Guid PageId, string Secret) : IAsyncDisposable
    {
        public PagePoller Poller => Services.GetRequiredService<PagePoller>();

        public Organisation Organisation => Services.GetRequiredService<Organisation>();

        public SecretProtector Protector => Services.GetRequiredService<SecretProtector>();

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Simulator.DisposeAsync();
        }
    }

    /// <summary>Notifications are not under test here; the outbox only needs somewhere to send them.</summary>
    private sealed class DiscardingNotifications : INotificationSender
    {
        public Task SendAsync(NotificationRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A stand-in for the trained model: "HIDE-ME" is harmful, anything else is fine.</summary>
    private sealed class KeywordScorer : ICommentScorer
    {
        public string ModelVersion => "keyword-test-1";

        public ModelAssessment Score(string text, ScoringContext? context = null)
        {
            var harmful = text.Contains("HIDE-ME", StringComparison.Ordinal);
            return new ModelAssessment(
                harmful ? Verdict.Hide : Verdict.Allow,
                new Dictionary<Category, double> { [Category.Abuse] = harmful ? 0.95 : 0.01 },
                harmful ? [new Reason(Category.Abuse, 0.95, "keyword", Category.Abuse.CodeName(), "test keyword", [new TextSpan(0, 7)])] : [],
                [],
                ModelVersion,
                false);
        }
    }
}
