using Dapper;
using Npgsql;

namespace Moderator.Core.Platforms;

/// <summary>The answer to a reservation: whether the units were booked, and the period's total spend as seen.</summary>
/// <param name="Granted">True when the units were added; false when they would have gone over the limit (nothing added).</param>
/// <param name="Spent">The total after the booking, or, when refused, the total the refusal saw.</param>
public sealed record UsageReservation(bool Granted, long Spent);

/// <summary>
/// What the installation has spent of a platform allowance per period (table <c>platform_usage</c>), shared by every
/// worker node through PostgreSQL and kept across restarts. A reservation is one statement: the units are added only
/// if the period's total stays within the limit, so parallel callers on any number of nodes never book past it.
/// <paramref name="budget"/> names whose allowance it is (the OAuth client id: one Google project, one X app).
/// </summary>
public sealed class PlatformUsageLedger(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Adds <paramref name="units"/> to the period if the total stays at or below <paramref name="limit"/>.</summary>
    public async Task<UsageReservation> TryReserveAsync(Platform platform, string budget, DateOnly period, long units, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(units);

        // The refusal branch reads the row as the statement's snapshot saw it: informational, for the caller's message.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var answer = await connection.QuerySingleAsync<(bool Granted, long Spent)>(new CommandDefinition(
            """
            WITH booked AS (
                INSERT INTO platform_usage AS u (platform, budget, period_start, spent, updated_at)
                SELECT @platform, @budget, @period, @units, @now
                WHERE @units <= @limit
                ON CONFLICT (platform, budget, period_start)
                DO UPDATE SET spent = u.spent + excluded.spent, updated_at = excluded.updated_at
                WHERE u.spent + excluded.spent <= @limit
                RETURNING u.spent)
            SELECT true, spent FROM booked
            UNION ALL
            SELECT false, coalesce((SELECT spent FROM platform_usage WHERE platform = @platform AND budget = @budget AND period_start = @period), 0)
            WHERE NOT EXISTS (SELECT 1 FROM booked)
            """,
            new { platform = platform.ToString(), budget, period, units, limit, now = clock.GetUtcNow().UtcDateTime },
            cancellationToken: cancellationToken));
        return new UsageReservation(answer.Granted, answer.Spent);
    }

    /// <summary>Adds units already spent (a response's post reads), with no limit; returns the new total.</summary>
    public async Task<long> AddAsync(Platform platform, string budget, DateOnly period, long units, CancellationToken cancellationToken)
    {
        var reservation = await TryReserveAsync(platform, budget, period, units, long.MaxValue / 2, cancellationToken);
        return reservation.Spent;
    }

    /// <summary>The platform said the allowance is gone: the period counts as spent up to <paramref name="limit"/> (never lowered).</summary>
    public async Task MarkExhaustedAsync(Platform platform, string budget, DateOnly period, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO platform_usage AS u (platform, budget, period_start, spent, updated_at)
            VALUES (@platform, @budget, @period, @limit, @now)
            ON CONFLICT (platform, budget, period_start)
            DO UPDATE SET spent = greatest(u.spent, excluded.spent), updated_at = excluded.updated_at
            """,
            new { platform = platform.ToString(), budget, period, limit, now = clock.GetUtcNow().UtcDateTime },
            cancellationToken: cancellationToken));
    }

    /// <summary>The period's total spend; 0 when nothing was booked.</summary>
    public async Task<long> SpentAsync(Platform platform, string budget, DateOnly period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT spent FROM platform_usage WHERE platform = @platform AND budget = @budget AND period_start = @period",
            new { platform = platform.ToString(), budget, period },
            cancellationToken: cancellationToken)) ?? 0;
    }
}
