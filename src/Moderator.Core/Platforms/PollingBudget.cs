namespace Moderator.Core.Platforms;

/// <summary>How many active pages a platform has and what one poll of one page is expected to cost in that platform's unit.</summary>
/// <param name="CostPerPoll">YouTube: quota units (list pages, reply reads); X: post reads; Facebook/Instagram: Graph calls.</param>
/// <param name="RequestsPerPoll">X only: requests per poll, counted against the 15-minute rate windows.</param>
public sealed record PlatformLoad(Platform Platform, int ActivePages, double CostPerPoll, int RequestsPerPoll = 1);

/// <summary>The limits the planner keeps every platform under (see <c>platform-apis.md</c>).</summary>
public sealed record PollingLimits
{
    /// <summary>No page is polled more often than this, whatever the budgets allow.</summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The Google project's daily quota, shared by every YouTube channel.</summary>
    public int YouTubeDailyUnits { get; init; } = 10_000;

    /// <summary>Units kept for moderation calls (50 units each), never spent on polling.</summary>
    public int YouTubeModerationReserveUnits { get; init; } = 2_000;

    /// <summary>The monthly cap on X post reads the school group is willing to pay for, shared by every X account.</summary>
    public long XMonthlyPostReadCap { get; init; } = 10_000;

    /// <summary>X recent-search requests per 15 minutes per app (shared by every account).</summary>
    public int XAppRequestsPer15Minutes { get; init; } = 450;

    /// <summary>X recent-search requests per 15 minutes per user (each account).</summary>
    public int XUserRequestsPer15Minutes { get; init; } = 300;

    /// <summary>Graph calls per hour one Facebook page or Instagram account may make (its Business Use Case budget).</summary>
    public int MetaCallsPerHourPerPage { get; init; } = 200;
}

/// <summary>What sets a page's poll interval.</summary>
public enum PollingLimit
{
    /// <summary>The page's own interval: the budget allows it.</summary>
    PagesOwnInterval,

    /// <summary>The shortest interval any page is polled at.</summary>
    MinimumInterval,

    /// <summary>YouTube's daily quota units, shared by every channel of the Google project.</summary>
    YouTubeDailyQuota,

    /// <summary>Our monthly cap on X post reads, shared by every account.</summary>
    XMonthlyPostReadCap,

    /// <summary>X's 15-minute request window for the app, shared by every account.</summary>
    XAppRateWindow,

    /// <summary>X's 15-minute request window for one account.</summary>
    XUserRateWindow,

    /// <summary>Meta's hourly Business Use Case call budget of one page or account.</summary>
    MetaBusinessUseCaseBudget,
}

/// <summary>The shortest safe poll interval of every page of one platform, and the limit that sets it.</summary>
public sealed record PlatformPollPlan(Platform Platform, int ActivePages, TimeSpan MinimumInterval, PollingLimit BindingLimit);

/// <summary>
/// The polling budget as plain arithmetic: the shortest interval at which every active page of a platform can be polled
/// without breaking its limit. YouTube's quota is per Google project, so it is split across all channels after the
/// moderation reserve; X's monthly cap (a month counted as 31 days) and its per-app 15-minute window are split across
/// all accounts, its per-user window is per account; Meta's Business Use Case budget is per page.
/// </summary>
public static class PollingBudget
{
    /// <summary>The longest quota day: YouTube resets at midnight Pacific time, and the day daylight time ends has 25 hours.</summary>
    private static readonly TimeSpan QuotaDay = TimeSpan.FromHours(25);
    private static readonly TimeSpan Month = TimeSpan.FromDays(31);
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(15);

    public static PlatformPollPlan Plan(PlatformLoad load, PollingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegative(load.ActivePages);
        ArgumentOutOfRangeException.ThrowIfNegative(load.CostPerPoll);
        var candidates = new List<(TimeSpan Interval, PollingLimit Limit)> { (limits.MinimumInterval, PollingLimit.MinimumInterval) };
        var pages = Math.Max(load.ActivePages, 1);
        switch (load.Platform)
        {
            case Platform.YouTube:
                var units = limits.YouTubeDailyUnits - limits.YouTubeModerationReserveUnits;
                if (units <= 0)
                {
                    throw new ArgumentException("The YouTube moderation reserve leaves no quota for polling.", nameof(limits));
                }

                candidates.Add((EvenlySpaced(QuotaDay, units, pages * load.CostPerPoll), PollingLimit.YouTubeDailyQuota));
                break;
            case Platform.X:
                candidates.Add((EvenlySpaced(Month, Positive(limits.XMonthlyPostReadCap), pages * load.CostPerPoll), PollingLimit.XMonthlyPostReadCap));
                candidates.Add((EvenlySpaced(RateWindow, Positive(limits.XAppRequestsPer15Minutes), (double)pages * load.RequestsPerPoll), PollingLimit.XAppRateWindow));
                candidates.Add((EvenlySpaced(RateWindow, Positive(limits.XUserRequestsPer15Minutes), load.RequestsPerPoll), PollingLimit.XUserRateWindow));
                break;
            case Platform.Facebook:
            case Platform.Instagram:
                candidates.Add((EvenlySpaced(TimeSpan.FromHours(1), Positive(limits.MetaCallsPerHourPerPage), load.CostPerPoll), PollingLimit.MetaBusinessUseCaseBudget));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(load), load.Platform, "Unknown platform.");
        }

        var (interval, limit) = candidates.MaxBy(c => c.Interval);
        return new PlatformPollPlan(load.Platform, load.ActivePages, RoundUpToSecond(interval), limit);
    }

    /// <summary>What a page's poll interval becomes: what the school asked for, unless the budget needs it longer.</summary>
    public static TimeSpan EffectiveInterval(TimeSpan configured, PlatformPollPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return configured >= plan.MinimumInterval ? configured : plan.MinimumInterval;
    }

    /// <summary>How long a harmful comment can stay up at worst when polls run on time: a full interval, then processing.</summary>
    public static TimeSpan WorstCaseDetectionDelay(TimeSpan effectiveInterval, TimeSpan processing) => effectiveInterval + processing;

    /// <summary>
    /// The interval at which rounds costing <paramref name="costPerRound"/> fit <paramref name="budget"/> per
    /// <paramref name="period"/>: the period divided by the whole number of rounds the budget pays for, so any window of one
    /// period holds at most that many rounds whatever the phase. A budget too small for one round per period stretches
    /// the interval to whole periods.
    /// </summary>
    private static TimeSpan EvenlySpaced(TimeSpan period, double budget, double costPerRound)
    {
        if (costPerRound <= 0)
        {
            return TimeSpan.Zero;
        }

        var rounds = Math.Floor(Math.Round(budget / costPerRound, 9));
        return rounds >= 1 ? period / rounds : period * Math.Ceiling(costPerRound / budget);
    }

    private static double Positive(long value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A limit must be positive.");

    private static TimeSpan RoundUpToSecond(TimeSpan value) =>
        TimeSpan.FromSeconds(Math.Ceiling(Math.Round(value.TotalSeconds, 6)));
}
