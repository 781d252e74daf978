using Moderator.Core.Platforms;
using Moderator.Testing;
using Npgsql;

namespace Moderator.Core.Tests;

public sealed class PlatformUsageLedgerTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly DateOnly Day = new(2026, 11, 20);

    private PlatformUsageLedger Ledger => new(database.DataSource, TimeProvider.System);

    private static string NewBudget() => "client-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_reservation_within_the_limit_is_booked_and_one_past_it_is_refused_without_booking()
    {
        var budget = NewBudget();

        var first = await Ledger.TryReserveAsync(Platform.YouTube, budget, Day, 60, 100, CancellationToken.None);
        var second = await Ledger.TryReserveAsync(Platform.YouTube, budget, Day, 40, 100, CancellationToken.None);
        var refused = await Ledger.TryReserveAsync(Platform.YouTube, budget, Day, 1, 100, CancellationToken.None);

        Assert.Equal(new UsageReservation(true, 60), first);
        Assert.Equal(new UsageReservation(true, 100), second);
        Assert.Equal(new UsageReservation(false, 100), refused);
        Assert.Equal(100, await Ledger.SpentAsync(Platform.YouTube, budget, Day, CancellationToken.None));
    }

    [Fact]
    public async Task A_first_reservation_larger_than_the_limit_books_nothing()
    {
        var budget = NewBudget();

        var refused = await Ledger.TryReserveAsync(Platform.YouTube, budget, Day, 51, 50, CancellationToken.None);

        Assert.Equal(new UsageReservation(false, 0), refused);
        Assert.Equal(0, await Ledger.SpentAsync(Platform.YouTube, budget, Day, CancellationToken.None));
    }

    [Fact]
    public async Task Periods_platforms_and_budgets_are_counted_apart()
    {
        var budget = NewBudget();
        await Ledger.TryReserveAsync(Platform.YouTube, budget, Day, 10, 100, CancellationToken.None);

        await Ledger.TryReserveAsync(Platform.YouTube, budget, Day.AddDays(1), 3, 100, CancellationToken.None);
        await Ledger.AddAsync(Platform.X, budget, Day, 7, CancellationToken.None);
        await Ledger.TryReserveAsync(Platform.YouTube, NewBudget(), Day, 5, 100, CancellationToken.None);

        Assert.Equal(10, await Ledger.SpentAsync(Platform.YouTube, budget, Day, CancellationToken.None));
        Assert.Equal(3, await Ledger.SpentAsync(Platform.YouTube, budget, Day.AddDays(1), CancellationToken.None));
        Assert.Equal(7, await Ledger.SpentAsync(Platform.X, budget, Day, CancellationToken.None));
    }

    [Fact]
    public async Task A_period_marked_exhausted_refuses_every_reservation_and_is_never_lowered()
    {
        var budget = NewBudget();
        await Ledger.TryReserveAsync(Platform.YouTube, budget, Day, 30, 100, CancellationToken.None);

        await Ledger.MarkExhaustedAsync(Platform.YouTube, budget, Day, 100, CancellationToken.None);
        var refused = await Ledger.TryReserveAsync(Platform.YouTube, budget, Day, 1, 100, CancellationToken.None);
        await Ledger.MarkExhaustedAsync(Platform.YouTube, budget, Day, 80, CancellationToken.None);
        await Ledger.MarkExhaustedAsync(Platform.YouTube, budget, Day.AddDays(1), 100, CancellationToken.None);

        Assert.False(refused.Granted);
        Assert.Equal(100, await Ledger.SpentAsync(Platform.YouTube, budget, Day, CancellationToken.None));
        Assert.Equal(100, await Ledger.SpentAsync(Platform.YouTube, budget, Day.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_reservations_never_exceed_the_limit()
    {
        var budget = NewBudget();
        const int Limit = 1_000;

        // 200 reservations of 7 units from two separate connection pools (two "nodes"), all started at once.
        await using var otherNode = NpgsqlDataSource.Create(database.ConnectionString);
        var ledgers = new[] { Ledger, new PlatformUsageLedger(otherNode, TimeProvider.System) };
        using var start = new SemaphoreSlim(0);
        var attempts = Enumerable.Range(0, 200).Select(async i =>
        {
            await start.WaitAsync();
            return await ledgers[i % 2].TryReserveAsync(Platform.YouTube, budget, Day, 7, Limit, CancellationToken.None);
        }).ToList();
        start.Release(attempts.Count);
        var results = await Task.WhenAll(attempts);

        var granted = results.Count(r => r.Granted);
        var spent = await Ledger.SpentAsync(Platform.YouTube, budget, Day, CancellationToken.None);
        Assert.Equal(Limit / 7, granted);
        Assert.Equal(granted * 7L, spent);
        Assert.True(spent <= Limit);
        Assert.All(results.Where(r => r.Granted), r => Assert.True(r.Spent <= Limit));
        Assert.Equal(granted, results.Where(r => r.Granted).Select(r => r.Spent).Distinct().Count());
    }
}
