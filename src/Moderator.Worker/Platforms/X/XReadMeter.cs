using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;
using Npgsql;

namespace Moderator.Worker.Platforms.X;

/// <summary>What one poll of one X account cost: requests made and posts read (X bills each post read).</summary>
public sealed record XPollCost(int Requests, int PostReads, DateTimeOffset At);

/// <summary>
/// Counts X post reads (the billed resource) per calendar month (UTC) in the <see cref="PlatformUsageLedger"/>, which
/// every worker node shares and which survives restarts, so <see cref="XOptions.MonthlyPostReadCap"/> stops reads of
/// the whole installation before the month's allowance is spent. The budget is the X app's, named by
/// <see cref="XOptions.ClientId"/>. The cost of each account's last poll is informational (logs and tests) and stays in
/// this process's memory.
/// </summary>
public sealed class XReadMeter(PlatformUsageLedger ledger, TimeProvider clock, IOptions<XOptions> options)
{
    private readonly ConcurrentDictionary<string, XPollCost> _lastPolls = new(StringComparer.Ordinal);

    private string Budget => options.Value.ClientId;

    /// <summary>The first day of the calendar month (UTC) that <paramref name="instant"/> falls in.</summary>
    public static DateOnly MonthOf(DateTimeOffset instant) => new(instant.UtcDateTime.Year, instant.UtcDateTime.Month, 1);

    /// <summary>Posts read so far this calendar month (UTC) by all nodes of the installation.</summary>
    public async Task<long> PostReadsThisMonthAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ledger.SpentAsync(Platform.X, Budget, MonthOf(clock.GetUtcNow()), cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw LedgerUnavailable(e);
        }
    }

    /// <summary>The cost of the last completed poll of this account by this process, if there was one.</summary>
    public XPollCost? LastPoll(string accountId) => _lastPolls.GetValueOrDefault(accountId);

    /// <summary>Adds posts read by one response to the month's total (they are read and billed already: no limit).</summary>
    public async Task AddPostReadsAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        try
        {
            await ledger.AddAsync(Platform.X, Budget, MonthOf(clock.GetUtcNow()), count, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw LedgerUnavailable(e);
        }
    }

    public void RecordPoll(string accountId, int requests, int postReads) =>
        _lastPolls[accountId] = new XPollCost(requests, postReads, clock.GetUtcNow());

    /// <summary>When the installation's monthly cap is spent: the start of next month (UTC); null while reads may go on.</summary>
    public async Task<DateTimeOffset?> CapSpentUntilAsync(CancellationToken cancellationToken)
    {
        var cap = options.Value.MonthlyPostReadCap;
        if (cap <= 0)
        {
            return null;
        }

        var month = MonthOf(clock.GetUtcNow());
        var spent = await PostReadsThisMonthAsync(cancellationToken);
        return spent < cap ? null : new DateTimeOffset(month.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    private static PlatformException LedgerUnavailable(NpgsqlException inner) =>
        new(Platform.X, PlatformErrorKind.Transient, "The shared X post-read meter could not be reached; reads wait for it.", innerException: inner);
}
