using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;
using Moderator.Core.Workflow;
using Moderator.Testing;

namespace Moderator.Core.Tests;

public sealed class PollingBudgetTests
{
    private static readonly PollingLimits Limits = new();

    [Fact]
    public void Ten_youtube_channels_share_the_daily_quota_left_after_the_moderation_reserve()
    {
        var plan = PollingBudget.Plan(new PlatformLoad(Platform.YouTube, 10, CostPerPoll: 2), Limits);

        // 10 channels × 2 units per poll against 10,000 − 2,000 reserved units, over the longest (25-hour) quota day:
        // 90,000 s × 20 / 8,000 = 225 s.
        Assert.Equal(TimeSpan.FromSeconds(225), plan.MinimumInterval);
        Assert.Equal(PollingLimit.YouTubeDailyQuota, plan.BindingLimit);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(3, 2.0)]
    [InlineData(7, 3.5)]
    [InlineData(10, 2.0)]
    [InlineData(40, 1.0)]
    [InlineData(250, 4.0)]
    public void Planned_youtube_polls_never_spend_more_than_the_quota_minus_the_reserve(int channels, double unitsPerPoll)
    {
        var plan = PollingBudget.Plan(new PlatformLoad(Platform.YouTube, channels, unitsPerPoll), Limits);

        // Whatever the phase of a channel's schedule, a quota day (25 hours at most) holds at most ceil(day / interval) of its polls.
        var pollsPerChannel = Math.Ceiling(TimeSpan.FromHours(25) / plan.MinimumInterval);
        var unitsPerDay = pollsPerChannel * channels * unitsPerPoll;
        Assert.True(unitsPerDay <= Limits.YouTubeDailyUnits - Limits.YouTubeModerationReserveUnits, $"{unitsPerDay} units at {plan.MinimumInterval}");
        Assert.True(plan.MinimumInterval >= Limits.MinimumInterval);
    }

    [Fact]
    public void More_youtube_channels_mean_proportionally_longer_intervals()
    {
        var one = PollingBudget.Plan(new PlatformLoad(Platform.YouTube, 1, 2), Limits);
        var twenty = PollingBudget.Plan(new PlatformLoad(Platform.YouTube, 20, 2), Limits);

        Assert.Equal(TimeSpan.FromSeconds(23), one.MinimumInterval); // 22.5 s rounded up
        Assert.Equal(TimeSpan.FromSeconds(450), twenty.MinimumInterval);
    }

    [Fact]
    public void An_x_account_under_a_monthly_cap_is_polled_no_faster_than_the_cap_allows_over_31_days()
    {
        var plan = PollingBudget.Plan(new PlatformLoad(Platform.X, 1, CostPerPoll: 1), Limits with { XMonthlyPostReadCap = 10_000 });

        // 31 days = 2,678,400 s; 10,000 reads → one read every 267.84 s, rounded up.
        Assert.Equal(TimeSpan.FromSeconds(268), plan.MinimumInterval);
        Assert.Equal(PollingLimit.XMonthlyPostReadCap, plan.BindingLimit);
        Assert.True(TimeSpan.FromDays(31) / plan.MinimumInterval <= 10_000);
    }

    [Fact]
    public void Many_x_accounts_are_held_by_the_app_rate_window()
    {
        var plan = PollingBudget.Plan(new PlatformLoad(Platform.X, 900, CostPerPoll: 0), Limits with { XMonthlyPostReadCap = long.MaxValue });

        // 900 accounts × 1 request per poll against 450 requests per 15 minutes: one poll each per 30 minutes.
        Assert.Equal(TimeSpan.FromMinutes(30), plan.MinimumInterval);
        Assert.Equal(PollingLimit.XAppRateWindow, plan.BindingLimit);
    }

    [Fact]
    public void One_quiet_x_account_is_held_only_by_the_minimum_interval()
    {
        var plan = PollingBudget.Plan(new PlatformLoad(Platform.X, 1, CostPerPoll: 0), Limits);

        Assert.Equal(Limits.MinimumInterval, plan.MinimumInterval);
        Assert.Equal(PollingLimit.MinimumInterval, plan.BindingLimit);
    }

    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.Instagram)]
    public void Meta_pages_each_have_their_own_budget_so_page_count_does_not_matter(Platform platform)
    {
        var limits = Limits with { MetaCallsPerHourPerPage = 4_800 };

        var one = PollingBudget.Plan(new PlatformLoad(platform, 1, CostPerPoll: 21), limits);
        var hundred = PollingBudget.Plan(new PlatformLoad(platform, 100, CostPerPoll: 21), limits);

        Assert.Equal(TimeSpan.FromSeconds(16), one.MinimumInterval); // 21 × 3,600 / 4,800 = 15.75 s
        Assert.Equal(one.MinimumInterval, hundred.MinimumInterval);
        Assert.Equal(PollingLimit.MetaBusinessUseCaseBudget, one.BindingLimit);
    }

    [Fact]
    public void The_effective_interval_is_the_longer_of_the_page_and_the_budget_and_the_delay_adds_processing()
    {
        var plan = new PlatformPollPlan(Platform.YouTube, 10, TimeSpan.FromSeconds(225), PollingLimit.YouTubeDailyQuota);

        var asked = PollingBudget.EffectiveInterval(TimeSpan.FromMinutes(1), plan);
        var slower = PollingBudget.EffectiveInterval(TimeSpan.FromMinutes(10), plan);

        Assert.Equal(TimeSpan.FromSeconds(225), asked);
        Assert.Equal(TimeSpan.FromMinutes(10), slower);
        Assert.Equal(TimeSpan.FromSeconds(255), PollingBudget.WorstCaseDetectionDelay(asked, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_moderation_reserve_that_leaves_nothing_for_polling_is_refused()
    {
        Assert.Throws<ArgumentException>(() => PollingBudget.Plan(new PlatformLoad(Platform.YouTube, 1, 1), Limits with { YouTubeModerationReserveUnits = 10_000 }));
        Assert.NotEmpty(new PollingBudgetOptions { YouTubeModerationCallsPerDay = 200 }.Problems());
        Assert.Empty(new PollingBudgetOptions().Problems());
    }

    [Fact]
    public void The_planner_stretches_only_the_pages_whose_platform_budget_needs_it()
    {
        var planner = new PollingPlanner(Options.Create(new PollingBudgetOptions()));
        var youtube = Enumerable.Range(0, 10).Select(_ => ActivePage(Platform.YouTube, TimeSpan.FromMinutes(1))).ToList();
        var relaxed = ActivePage(Platform.YouTube, TimeSpan.FromMinutes(15));
        var facebook = ActivePage(Platform.Facebook, TimeSpan.FromMinutes(1));

        var plans = planner.PlanPages([.. youtube, relaxed, facebook]).ToDictionary(p => p.PageId);

        // 11 YouTube channels × 2 units against 8,000 units: 363 whole rounds per 25-hour day → 247.93 s → 248 s.
        Assert.All(youtube, p => Assert.Equal(TimeSpan.FromSeconds(248), plans[p.Id].EffectiveInterval));
        Assert.All(youtube, p => Assert.Equal(TimeSpan.FromSeconds(278), plans[p.Id].WorstCaseDetectionDelay));
        Assert.All(youtube, p => Assert.True(plans[p.Id].SlowedByBudget));
        Assert.Equal(TimeSpan.FromMinutes(15), plans[relaxed.Id].EffectiveInterval);
        Assert.False(plans[relaxed.Id].SlowedByBudget);
        Assert.Equal(TimeSpan.FromMinutes(1), plans[facebook.Id].EffectiveInterval);
        Assert.Equal(PollingLimit.PagesOwnInterval, plans[facebook.Id].BindingLimit);
    }

    private static Page ActivePage(Platform platform, TimeSpan interval) =>
        new(Guid.NewGuid(), Guid.NewGuid(), platform, "ext-" + Guid.NewGuid().ToString("N")[..6], "Oakfield", PageStatus.Active, interval, null, null, null, 1, [], []);
}

public sealed class PollingDelaysTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Admin_can_list_each_active_page_with_its_effective_interval_and_worst_case_delay()
    {
        var s = new Services(db.DataSource);
        var school = await s.SeedSchoolAsync();
        var delays = new PollingDelays(s.Organisation, new PollingPlanner(Options.Create(new PollingBudgetOptions { ProcessingAllowance = TimeSpan.FromSeconds(45) })));

        var listed = await delays.ListActivePagesAsync();

        var page = Assert.Single(listed, p => p.PageId == school.PageId);
        Assert.Equal(Platform.Facebook, page.Platform);
        Assert.Equal(TimeSpan.FromMinutes(1), page.EffectiveInterval);
        Assert.Equal(TimeSpan.FromSeconds(105), page.WorstCaseDetectionDelay);
    }
}
