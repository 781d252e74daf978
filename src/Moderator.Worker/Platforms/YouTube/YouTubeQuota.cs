using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;
using Npgsql;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>
/// Books the YouTube Data API units spent per quota day (midnight to midnight Pacific time, when Google resets the
/// project's quota) in the <see cref="PlatformUsageLedger"/>, which every worker node shares and which survives
/// restarts, and refuses a call before it is made when it would go over the budget: reads stop once only the moderation
/// reserve is left, moderation calls (50 units) once the whole budget is spent. When Google answers
/// <c>quotaExceeded</c> the day counts as spent for every node. The budget is the Google project's, named by
/// <see cref="YouTubeOptions.ClientId"/>; <see cref="YouTubeOptions.DailyQuotaUnits"/> is the whole installation's.
/// </summary>
public sealed class YouTubeQuota(PlatformUsageLedger ledger, TimeProvider clock, IOptions<YouTubeOptions> options)
{
    /// <summary>One page of <c>commentThreads.list</c> or <c>comments.list</c>.</summary>
    public const int ListCost = 1;

    /// <summary><c>comments.setModerationStatus</c> (and <c>comments.delete</c>, which the connector does not use).</summary>
    public const int ModerationCost = 50;

    private readonly YouTubeOptions _options = options.Value;

    public static TimeZoneInfo Pacific { get; } = FindPacific();

    /// <summary>When the current quota day ends (the next midnight in America/Los_Angeles).</summary>
    public DateTimeOffset NextReset => NextResetAfter(clock.GetUtcNow());

    private string Budget => _options.ClientId;

    /// <summary>The next midnight Pacific time after <paramref name="instant"/>.</summary>
    public static DateTimeOffset NextResetAfter(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Pacific);
        var nextMidnight = local.Date.AddDays(1);
        return new DateTimeOffset(nextMidnight, Pacific.GetUtcOffset(nextMidnight));
    }

    /// <summary>The quota day (the Pacific date) that <paramref name="instant"/> falls in.</summary>
    public static DateOnly QuotaDayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Pacific).DateTime);

    /// <summary>Units the installation (all nodes) has spent in the current quota day.</summary>
    public async Task<long> SpentTodayAsync(CancellationToken cancellationToken) =>
        await ledger.SpentAsync(Platform.YouTube, Budget, QuotaDayOf(clock.GetUtcNow()), cancellationToken);

    /// <summary>Books <paramref name="units"/> for a read, or throws RateLimited (until the reset) when only the reserve is left.</summary>
    public Task SpendOnReadAsync(int units, string objectId, CancellationToken cancellationToken) =>
        SpendAsync(units, _options.DailyQuotaUnits - _options.ModerationReserveUnits, "read", objectId, cancellationToken);

    /// <summary>Books the 50 units of a moderation call, or throws RateLimited (until the reset) when the budget is spent.</summary>
    public Task SpendOnModerationAsync(string objectId, CancellationToken cancellationToken) =>
        SpendAsync(ModerationCost, _options.DailyQuotaUnits, "moderation", objectId, cancellationToken);

    /// <summary>Google said the project's quota is gone: no further call today, on any node.</summary>
    public async Task MarkExhaustedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ledger.MarkExhaustedAsync(Platform.YouTube, Budget, QuotaDayOf(clock.GetUtcNow()), _options.DailyQuotaUnits, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw LedgerUnavailable("quotaExceeded", e);
        }
    }

    private async Task SpendAsync(int units, int limit, string kind, string objectId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        UsageReservation booked;
        try
        {
            booked = await ledger.TryReserveAsync(Platform.YouTube, Budget, QuotaDayOf(now), units, limit, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            // Without the shared count the call could overrun the project's quota: do not make it.
            throw LedgerUnavailable($"{kind} for {objectId}", e);
        }

        if (!booked.Granted)
        {
            var wait = NextResetAfter(now) - now;
            throw new PlatformException(
                Platform.YouTube,
                PlatformErrorKind.RateLimited,
                $"YouTube {kind} for {objectId} refused locally: {booked.Spent} of {limit} units spent today; quota resets in {wait:hh\\:mm}.",
                retryAfter: wait);
        }
    }

    private static PlatformException LedgerUnavailable(string what, NpgsqlException inner) =>
        new(Platform.YouTube, PlatformErrorKind.Transient, $"YouTube {what}: the shared quota ledger could not be reached.", innerException: inner);

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
