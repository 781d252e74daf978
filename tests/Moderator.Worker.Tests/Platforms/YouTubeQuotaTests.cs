using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class YouTubeQuotaTests
{
    [Fact]
    public async Task Quota_exceeded_is_rate_limited_until_midnight_pacific_and_later_calls_stay_local()
    {
        await using var harness = await YouTubeHarness.StartAsync(simulatorOptions: new YouTubeSimulatorOptions { DailyQuotaUnits = 500 });
        harness.Simulator.SetQuotaSpent(500);

        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());
        var second = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        // 10:00 UTC on 20 November is 02:00 PST; the quota resets at 00:00 PST on the 21st = 08:00 UTC.
        Assert.Equal(PlatformErrorKind.RateLimited, error.Kind);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal(TimeSpan.FromHours(22), error.RetryAfter);
        Assert.Equal(PlatformErrorKind.RateLimited, second.Kind);
        Assert.Null(second.HttpStatus);
        Assert.Equal(1, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
        Assert.Contains(harness.Logs.Lines, l => l.Contains("[5403]", StringComparison.Ordinal) && l.Contains("quotaExceeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reads_stop_at_the_moderation_reserve_while_moderation_goes_on_until_the_budget_is_spent()
    {
        await using var harness = await YouTubeHarness.StartAsync(new()
        {
            ["YouTube:DailyQuotaUnits"] = "103",
            ["YouTube:ModerationReserveUnits"] = "100",
        });
        var id = harness.Simulator.AddComment(harness.VideoId, "hello");

        for (var i = 0; i < 3; i++)
        {
            await harness.PollAsync();
        }

        var refusedRead = await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());
        await harness.Connector.HideAsync(harness.Access, id, CancellationToken.None);
        await harness.Connector.UnhideAsync(harness.Access, id, CancellationToken.None);
        var refusedHide = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, id, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, refusedRead.Kind);
        Assert.Equal(PlatformErrorKind.RateLimited, refusedHide.Kind);
        Assert.Equal(TimeSpan.FromHours(22), refusedHide.RetryAfter);
        Assert.Equal(3, harness.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
        Assert.Equal(2, harness.Simulator.Calls(YouTubeSimulatorEndpoints.SetModerationStatus));
        Assert.Equal(103, await harness.Quota.SpentTodayAsync(CancellationToken.None));
        Assert.Equal(harness.Simulator.QuotaSpentToday, await harness.Quota.SpentTodayAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_local_quota_starts_again_at_midnight_pacific()
    {
        await using var harness = await YouTubeHarness.StartAsync(new()
        {
            ["YouTube:DailyQuotaUnits"] = "60",
            ["YouTube:ModerationReserveUnits"] = "58",
        });
        await harness.PollAsync();
        await harness.PollAsync();
        await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());

        harness.Clock.Advance(TimeSpan.FromHours(21) + TimeSpan.FromMinutes(59));
        await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync());
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await harness.PollAsync();

        Assert.Equal(1, await harness.Quota.SpentTodayAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("2026-11-20T10:00:00Z", "2026-11-21T08:00:00Z")] // PST, UTC-8
    [InlineData("2026-07-01T12:00:00Z", "2026-07-02T07:00:00Z")] // PDT, UTC-7
    [InlineData("2026-03-08T07:59:00Z", "2026-03-08T08:00:00Z")] // 23:59 PST on the day daylight time starts
    [InlineData("2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z")] // 23:30 PDT on the eve of daylight time ending
    public void The_quota_day_ends_at_midnight_in_los_angeles(string now, string reset)
    {
        var next = YouTubeQuota.NextResetAfter(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(reset, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void Options_with_half_a_client_or_a_reserve_above_the_budget_are_refused()
    {
        var options = new YouTubeOptions { ClientId = "id-without-secret", ClientSecret = "", DailyQuotaUnits = 100, ModerationReserveUnits = 100 };

        var problems = options.Problems().ToList();

        Assert.Contains(problems, p => p.Contains("ClientId", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ModerationReserveUnits", StringComparison.Ordinal));
        Assert.Empty(new YouTubeOptions { ClientId = "id", ClientSecret = "secret" }.Problems());
        Assert.Empty(new YouTubeOptions().Problems());
    }

    [Fact]
    public void The_registered_options_are_validated_when_read()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["YouTube:ClientId"] = "id",
            ["YouTube:ClientSecret"] = "secret",
            ["YouTube:CursorOverlap"] = "-00:01:00",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddYouTubeConnector(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<YouTubeOptions>>().Value);

        Assert.Contains("CursorOverlap", error.Message, StringComparison.Ordinal);
    }
}
