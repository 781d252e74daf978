using Microsoft.Extensions.Logging.Abstractions;
using Moderator.Core.Storage;
using Npgsql;

namespace Moderator.Testing;

/// <summary>
/// One migrated database for the whole test process, for harnesses that only need the shared tables (such as the
/// platform usage ledger) and keep apart by their own keys, so each harness start costs no database of its own.
/// Never dropped: it lives in the test run's throw-away cluster (or is left on the server MODERATOR_TEST_DB names).
/// </summary>
public static class SharedDatabase
{
    private static readonly Lazy<Task<NpgsqlDataSource>> Source = new(CreateAsync);

    /// <summary>The shared data source; callers must not dispose it.</summary>
    public static Task<NpgsqlDataSource> DataSourceAsync() => Source.Value;

    private static async Task<NpgsqlDataSource> CreateAsync()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("shared");
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).MigrateAsync();
        return dataSource;
    }
}
