using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Moderator.Worker.Platforms.X;

/// <summary>What one poll of one X account cost: requests made and posts read (X bills each post read).</summary>
public sealed record XPollCost(int Requests, int PostReads, DateTimeOffset At);

/// <summary>
/// Counts X post reads (the billed resource) per calendar month (UTC) in this process, and the cost of each account's
/// last poll, so the polling scheduler can budget X spending and <see cref="XOptions.MonthlyPostReadCap"/> can stop
/// reads before the month's allowance is spent. In memory: each worker process counts its own reads.
/// </summary>
public sealed class XReadMeter(TimeProvider clock, IOptions<XOptions> options)
{
    private readonly ConcurrentDictionary<string, XPollCost> _lastPolls = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private (int Year, int Month) _month;
    private long _postReadsThisMonth;

    /// <summary>Posts read so far this calendar month (UTC) by this process.</summary>
    public long PostReadsThisMonth
    {
        get
        {
            lock (_lock)
            {
                RollMonth();
                return _postReadsThisMonth;
            }
        }
    }

    /// <summary>The cost of the last completed poll of this account, if there was one.</summary>
    public XPollCost? LastPoll(string accountId) => _lastPolls.GetValueOrDefault(accountId);

    /// <summary>Adds posts read by one response to the month's total.</summary>
    public void AddPostReads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            RollMonth();
            _postReadsThisMonth += count;
        }
    }

    public void RecordPoll(string accountId, int requests, int postReads) =>
        _lastPolls[accountId] = new XPollCost(requests, postReads, clock.GetUtcNow());

    /// <summary>When our own monthly cap is spent: the start of next month (UTC); null while reads may go on.</summary>
    public DateTimeOffset? CapSpentUntil()
    {
        var cap = options.Value.MonthlyPostReadCap;
        if (cap <= 0)
        {
            return null;
        }

        lock (_lock)
        {
            RollMonth();
            if (_postReadsThisMonth < cap)
            {
                return null;
            }

            var start = new DateTimeOffset(_month.Year, _month.Month, 1, 0, 0, 0, TimeSpan.Zero);
            return start.AddMonths(1);
        }
    }

    private void RollMonth()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_month != (now.Year, now.Month))
        {
            _month = (now.Year, now.Month);
            _postReadsThisMonth = 0;
        }
    }
}
