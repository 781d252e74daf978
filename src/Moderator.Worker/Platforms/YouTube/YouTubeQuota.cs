using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>
/// Counts the YouTube Data API units this process spends per quota day (midnight to midnight Pacific time, when
/// Google resets the project's quota) and refuses a call before it is made when it would go over the budget: reads stop
/// once only the moderation reserve is left, moderation calls (50 units) once the whole budget is spent. When Google
/// answers <c>quotaExceeded</c> the day counts as spent. One instance per process; the quota belongs to the Google
/// project, so several worker nodes must split <see cref="YouTubeOptions.DailyQuotaUnits"/> between them.
/// </summary>
public sealed class YouTubeQuota(TimeProvider clock, IOptions<YouTubeOptions> options)
{
    /// <summary>One page of <c>commentThreads.list</c> or <c>comments.list</c>.</summary>
    public const int ListCost = 1;

    /// <summary><c>comments.setModerationStatus</c> (and <c>comments.delete</c>, which the connector does not use).</summary>
    public const int ModerationCost = 50;

    private readonly Lock _lock = new();
    private readonly YouTubeOptions _options = options.Value;
    private DateOnly _day;
    private int _spent;

    public static TimeZoneInfo Pacific { get; } = FindPacific();

    /// <summary>Units spent in the current quota day.</summary>
    public int SpentToday
    {
        get
        {
            lock (_lock)
            {
                RollOver();
                return _spent;
            }
        }
    }

    /// <summary>When the current quota day ends (the next midnight in America/Los_Angeles).</summary>
    public DateTimeOffset NextReset => NextResetAfter(clock.GetUtcNow());

    /// <summary>The next midnight Pacific time after <paramref name="instant"/>.</summary>
    public static DateTimeOffset NextResetAfter(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Pacific);
        var nextMidnight = local.Date.AddDays(1);
        return new DateTimeOffset(nextMidnight, Pacific.GetUtcOffset(nextMidnight));
    }

    /// <summary>Books <paramref name="units"/> for a read, or throws RateLimited (until the reset) when only the reserve is left.</summary>
    public void SpendOnRead(int units, string objectId) => Spend(units, _options.DailyQuotaUnits - _options.ModerationReserveUnits, "read", objectId);

    /// <summary>Books the 50 units of a moderation call, or throws RateLimited (until the reset) when the budget is spent.</summary>
    public void SpendOnModeration(string objectId) => Spend(ModerationCost, _options.DailyQuotaUnits, "moderation", objectId);

    /// <summary>Google said the project's quota is gone: no further call today.</summary>
    public void MarkExhausted()
    {
        lock (_lock)
        {
            RollOver();
            _spent = Math.Max(_spent, _options.DailyQuotaUnits);
        }
    }

    private void Spend(int units, int limit, string kind, string objectId)
    {
        lock (_lock)
        {
            RollOver();
            if (_spent + units > limit)
            {
                var wait = NextReset - clock.GetUtcNow();
                throw new PlatformException(
                    Platform.YouTube,
                    PlatformErrorKind.RateLimited,
                    $"YouTube {kind} for {objectId} refused locally: {_spent} of {limit} units spent today; quota resets in {wait:hh\\:mm}.",
                    retryAfter: wait);
            }

            _spent += units;
        }
    }

    private void RollOver()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Pacific).DateTime);
        if (today != _day)
        {
            _day = today;
            _spent = 0;
        }
    }

    /// <summary>The IANA zone from the system's tz database, or the same US Pacific rules built in when it is missing.</summary>
    private static TimeZoneInfo FindPacific()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // Since 2007: daylight time from the second Sunday of March, 02:00, to the first Sunday of November, 02:00.
            var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
                new DateTime(2007, 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
                DateTime.MaxValue.Date,
                TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0, DateTimeKind.Unspecified), 3, 2, DayOfWeek.Sunday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0, DateTimeKind.Unspecified), 11, 1, DayOfWeek.Sunday));
            return TimeZoneInfo.CreateCustomTimeZone("America/Los_Angeles", TimeSpan.FromHours(-8), "Pacific Time", "Pacific Standard Time", "Pacific Daylight Time", [rule]);
        }
    }
}
