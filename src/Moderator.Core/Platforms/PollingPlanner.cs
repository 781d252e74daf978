using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Moderator.Core.Workflow;

namespace Moderator.Core.Platforms;

/// <summary>
/// The budgets and expected per-poll costs the scheduler plans with (section <c>PollingBudget</c>). The costs are
/// estimates for a typical school page; the connectors still enforce the real limits at run time.
/// </summary>
public sealed class PollingBudgetOptions
{
    public const string SectionName = "PollingBudget";

    /// <summary>No page is polled more often than this.</summary>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>From the end of a poll interval to the hide on the platform: the poll itself, scoring and the outbox dispatch.</summary>
    public TimeSpan ProcessingAllowance { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Google project's daily YouTube quota (units), shared by all channels.</summary>
    public int YouTubeDailyUnits { get; set; } = 10_000;

    /// <summary>Moderation calls (50 units each) per day the quota must still allow after polling.</summary>
    public int YouTubeModerationCallsPerDay { get; set; } = 40;

    /// <summary>Units one poll of one channel costs: one <c>commentThreads</c> page, plus paging and reply reads on busy days.</summary>
    public double YouTubeUnitsPerPoll { get; set; } = 2;

    /// <summary>The monthly post-read spending cap for X, shared by all accounts.</summary>
    public long XMonthlyPostReadCap { get; set; } = 10_000;

    /// <summary>
    /// Post reads one poll of one account is expected to be billed for (new replies plus the re-read overlap). X bills
    /// per post returned, so this is an average, not a per-request constant.
    /// </summary>
    public double XPostReadsPerPoll { get; set; } = 1;

    /// <summary>Requests one poll of one X account makes (counted against the 15-minute windows).</summary>
    public int XRequestsPerPoll { get; set; } = 1;

    public int XAppRequestsPer15Minutes { get; set; } = 450;

    public int XUserRequestsPer15Minutes { get; set; } = 300;

    /// <summary>
    /// Graph calls per hour one page may make: Meta's Business Use Case budget is 4800 × engaged users, over a window the
    /// docs give as one hour or 24 hours (⚠); 4800 per hour assumes the cautious 24-hour reading with about 24 engaged
    /// users a day. Set it lower for quiet pages.
    /// </summary>
    public int MetaCallsPerHourPerPage { get; set; } = 4_800;

    /// <summary>Graph calls one Facebook poll makes: the posts listing plus one comments listing per recent post.</summary>
    public double FacebookCallsPerPoll { get; set; } = 21;

    /// <summary>Graph calls one Instagram poll makes: the media listing plus one comments listing per recent media.</summary>
    public double InstagramCallsPerPoll { get; set; } = 21;

    public PollingLimits ToLimits() => new()
    {
        MinimumInterval = MinimumInterval,
        YouTubeDailyUnits = YouTubeDailyUnits,
        YouTubeModerationReserveUnits = YouTubeModerationCallsPerDay * 50,
        XMonthlyPostReadCap = XMonthlyPostReadCap,
        XAppRequestsPer15Minutes = XAppRequestsPer15Minutes,
        XUserRequestsPer15Minutes = XUserRequestsPer15Minutes,
        MetaCallsPerHourPerPage = MetaCallsPerHourPerPage,
    };

    public PlatformLoad LoadOf(Platform platform, int activePages) => platform switch
    {
        Platform.YouTube => new PlatformLoad(platform, activePages, YouTubeUnitsPerPoll),
        Platform.X => new PlatformLoad(platform, activePages, XPostReadsPerPoll, XRequestsPerPoll),
        Platform.Facebook => new PlatformLoad(platform, activePages, FacebookCallsPerPoll),
        Platform.Instagram => new PlatformLoad(platform, activePages, InstagramCallsPerPoll),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "Unknown platform."),
    };

    public IEnumerable<string> Problems()
    {
        if (MinimumInterval <= TimeSpan.Zero || ProcessingAllowance < TimeSpan.Zero)
        {
            yield return "PollingBudget:MinimumInterval must be positive and ProcessingAllowance not negative.";
        }

        if (YouTubeDailyUnits <= 0 || YouTubeModerationCallsPerDay < 0 || YouTubeModerationCallsPerDay * 50 >= YouTubeDailyUnits)
        {
            yield return "PollingBudget:YouTubeModerationCallsPerDay × 50 must leave part of YouTubeDailyUnits for polling.";
        }

        if (XMonthlyPostReadCap <= 0 || XAppRequestsPer15Minutes <= 0 || XUserRequestsPer15Minutes <= 0 || XRequestsPerPoll < 1 || MetaCallsPerHourPerPage <= 0)
        {
            yield return "PollingBudget: X and Meta limits must be positive, XRequestsPerPoll at least 1.";
        }

        if (YouTubeUnitsPerPoll <= 0 || XPostReadsPerPoll < 0 || FacebookCallsPerPoll <= 0 || InstagramCallsPerPoll <= 0)
        {
            yield return "PollingBudget: per-poll costs must be positive (XPostReadsPerPoll not negative).";
        }
    }
}

/// <summary>One page's polling as scheduled: what was asked, what the budget allows, and the worst-case detection delay.</summary>
public sealed record PagePollPlan(
    Guid PageId,
    Platform Platform,
    TimeSpan ConfiguredInterval,
    TimeSpan EffectiveInterval,
    TimeSpan WorstCaseDetectionDelay,
    PollingLimit BindingLimit)
{
    /// <summary>True when the budget made the page's polls less frequent than configured.</summary>
    public bool SlowedByBudget => EffectiveInterval > ConfiguredInterval;
}

/// <summary>
/// Applies <see cref="PollingBudget"/> to the active pages: each platform's minimum interval for its number of pages, and
/// per page the effective interval (the longer of the page's own and that minimum) and the worst-case detection delay.
/// </summary>
public sealed class PollingPlanner(IOptions<PollingBudgetOptions> options)
{
    private readonly PollingBudgetOptions _options = options.Value;

    public IReadOnlyList<PlatformPollPlan> PlanPlatforms(IReadOnlyDictionary<Platform, int> activePagesPerPlatform)
    {
        ArgumentNullException.ThrowIfNull(activePagesPerPlatform);
        var limits = _options.ToLimits();
        return [.. activePagesPerPlatform.OrderBy(p => p.Key).Select(p => PollingBudget.Plan(_options.LoadOf(p.Key, p.Value), limits))];
    }

    public IReadOnlyList<PagePollPlan> PlanPages(IEnumerable<Page> activePages)
    {
        ArgumentNullException.ThrowIfNull(activePages);
        var pages = activePages.ToList();
        var platforms = PlanPlatforms(pages.GroupBy(p => p.Platform).ToDictionary(g => g.Key, g => g.Count()))
            .ToDictionary(p => p.Platform);
        return [.. pages.Select(page =>
        {
            var plan = platforms[page.Platform];
            var effective = PollingBudget.EffectiveInterval(page.PollInterval, plan);
            return new PagePollPlan(
                page.Id,
                page.Platform,
                page.PollInterval,
                effective,
                PollingBudget.WorstCaseDetectionDelay(effective, _options.ProcessingAllowance),
                effective > page.PollInterval ? plan.BindingLimit : PollingLimit.PagesOwnInterval);
        })];
    }
}

/// <summary>The query Admin shows: every active page with its effective poll interval and worst-case detection delay.</summary>
public sealed class PollingDelays(Organisation organisation, PollingPlanner planner)
{
    public async Task<IReadOnlyList<PagePollPlan>> ListActivePagesAsync(CancellationToken cancellationToken = default) =>
        planner.PlanPages(await organisation.ListActivePagesAsync(cancellationToken));
}

public static class PollingBudgetExtensions
{
    /// <summary>Registers the polling planner and the Admin delay query with options from the <c>PollingBudget</c> section, validated at start.</summary>
    public static IServiceCollection AddPollingBudget(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PollingBudgetOptions>().Bind(configuration.GetSection(PollingBudgetOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PollingBudgetOptions>, Validator>());
        services.TryAddSingleton<PollingPlanner>();
        services.TryAddSingleton<PollingDelays>();
        return services;
    }

    private sealed class Validator : IValidateOptions<PollingBudgetOptions>
    {
        public ValidateOptionsResult Validate(string? name, PollingBudgetOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
