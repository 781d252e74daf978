using System.Globalization;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Admin.Pages.Admin.Pages;

/// <summary>
/// How a page's polling reads to an administrator: "checked every 1 min 8 s · worst-case delay 1 min 38 s", and when the
/// polling budget made the interval longer than the page asked for, which limit did it and how many pages share it.
/// </summary>
public sealed record PollingSummary(PagePollPlan Plan, int PagesOnPlatform)
{
    public string Checked => "checked every " + Duration(Plan.EffectiveInterval);

    public string WorstCase => "worst-case delay " + Duration(Plan.WorstCaseDetectionDelay);

    /// <summary>Why the interval is longer than configured, or null when the page is polled as often as it asked.</summary>
    public string? Stretch => Plan.SlowedByBudget
        ? $"stretched from {Duration(Plan.ConfiguredInterval)} by {LimitDescription()}"
        : null;

    /// <summary>A duration in whole seconds, rounded up (a delay is never understated), as "1 h 5 min", "2 min 10 s" or "45 s".</summary>
    public static string Duration(TimeSpan value)
    {
        var total = (long)Math.Ceiling(Math.Round(Math.Max(0, value.TotalSeconds), 6));
        if (total == 0)
        {
            return "0 s";
        }

        var parts = new List<string>(4);
        void Add(long amount, string unit)
        {
            if (amount > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{amount} {unit}"));
            }
        }

        Add(total / 86_400, "d");
        Add(total % 86_400 / 3_600, "h");
        Add(total % 3_600 / 60, "min");
        Add(total % 60, "s");
        return string.Join(' ', parts);
    }

    private string LimitDescription() => Plan.BindingLimit switch
    {
        PollingLimit.YouTubeDailyQuota => "the YouTube daily quota" + SharedBy("channel"),
        PollingLimit.XMonthlyPostReadCap => "the X monthly post-read cap" + SharedBy("account"),
        PollingLimit.XAppRateWindow => "X's 15-minute app rate limit" + SharedBy("account"),
        PollingLimit.XUserRateWindow => "X's 15-minute rate limit for the account",
        PollingLimit.MetaBusinessUseCaseBudget => Plan.Platform == Platform.Instagram
            ? "Meta's hourly call budget for the account"
            : "Meta's hourly call budget for the page",
        PollingLimit.MinimumInterval => "the shortest interval any page is polled at",
        _ => "its own interval",
    };

    private string SharedBy(string noun) => PagesOnPlatform > 1
        ? string.Create(CultureInfo.InvariantCulture, $" shared by {PagesOnPlatform} {noun}s")
        : string.Empty;
}
