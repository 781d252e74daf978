using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Moderator.Core.Storage;
using Moderator.Testing;
using Npgsql;

namespace Moderator.Core.Tests.Storage;

public sealed class MigrationRunnerTests
{
    [Fact]
    public async Task Migrating_twice_applies_each_script_once_and_reports_the_same_version()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("migrate_twice");
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);

            var first = await runner.MigrateAsync();
            var second = await runner.MigrateAsync();

            Assert.Equal(MigrationRunner.Embedded[^1].Version, first);
            Assert.Equal(first, second);
            await using var connection = await dataSource.OpenConnectionAsync();
            var applied = await connection.QuerySingleAsync<int>("SELECT count(*) FROM schema_migrations");
            Assert.Equal(MigrationRunner.Embedded.Count, applied);
        }
        finally
        {
            await PostgresCluster.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Runners_migrating_at_the_same_moment_end_in_one_complete_schema()
    {
        var connectionString = await PostgresCluster.CreateDatabaseAsync("migrate_race");
        try
        {
            // Separate data sources behave like separate nodes: nothing is shared but the database.
            var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
            using var start = new ManualResetEventSlim();
            var runs = sources.Select(s => Task.Run(async () =>
            {
                start.Wait();
                return await new MigrationRunner(s, NullLogger<MigrationRunner>.Instance).MigrateAsync();
            })).ToList();
            start.Set();

            var versions = await Task.WhenAll(runs);

            Assert.All(versions, v => Assert.Equal(MigrationRunner.Embedded[^1].Version, v));
            await using var connection = await sources[0].OpenConnectionAsync();
            var rows = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
            Assert.Equal(MigrationRunner.Embedded.Select(m => m.Version), rows);
            foreach (var s in sources)
            {
                await s.DisposeAsync();
            }
        }
        finally
        {
            await PostgresCluster.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public void Embedded_migrations_have_unique_increasing_versions()
    {
        var versions = MigrationRunner.Embedded.Select(m => m.Version).ToList();

        Assert.NotEmpty(versions);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }
}
