using Xunit;
using Moderator.Core.Storage.Embedded;
using Npgsql;

namespace Moderator.Testing;

/// <summary>
/// One real PostgreSQL server per test run, from the product's own embedded component (or the server named by
/// MODERATOR_TEST_DB). Each test class asks it for a fresh database.
/// </summary>
public static class PostgresCluster
{
    public const string TestServerVariable = "MODERATOR_TEST_DB";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EmbeddedPostgres? _embedded;
    private static string? _adminConnectionString;

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"t_{Sanitise(purpose)}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing any connection still open to it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(await AdminConnectionStringAsync());
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_adminConnectionString is not null)
            {
                return _adminConnectionString;
            }

            var configured = Environment.GetEnvironmentVariable(TestServerVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                _adminConnectionString = configured;
                return configured;
            }

            // A throw-away cluster for this test process: durability is traded for speed.
            var folder = Path.Combine(Path.GetTempPath(), $"moderator-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            _embedded = new EmbeddedPostgres(
                new EmbeddedPostgresOptions { DataDirectory = folder },
                extraServerSettings: new Dictionary<string, string>
                {
                    ["fsync"] = "off",
                    ["synchronous_commit"] = "off",
                    ["full_page_writes"] = "off",
                    ["max_connections"] = "400",
                });
            await _embedded.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopEmbedded(folder);
            _adminConnectionString = _embedded.ConnectionStringFor("postgres");
            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void StopEmbedded(string folder)
    {
        try
        {
            _embedded?.StopAsync().GetAwaiter().GetResult();
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EmbeddedPostgresException)
        {
            // Best effort at process exit; the folder is under the temp directory.
        }
    }

    private static string Sanitise(string purpose) =>
        new([.. purpose.Where(char.IsAsciiLetterOrDigit).Take(20)]);
}

/// <summary>xunit class fixture: a fresh, migrated database for one test class, dropped afterwards.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresCluster.CreateDatabaseAsync("db");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await new Moderator.Core.Storage.MigrationRunner(DataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<Moderator.Core.Storage.MigrationRunner>.Instance).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await PostgresCluster.DropDatabaseAsync(ConnectionString);
    }
}
