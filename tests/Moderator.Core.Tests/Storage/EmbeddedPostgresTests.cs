using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Moderator.Core.Storage;
using Moderator.Core.Storage.Embedded;
using Npgsql;

namespace Moderator.Core.Tests.Storage;

public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "moderator-embedded-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Cluster_restarts_on_its_existing_data_with_the_same_password()
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _folder };
        string firstConnection;
        await using (var first = new EmbeddedPostgres(options))
        {
            firstConnection = await first.StartAsync();
            await using var connection = new NpgsqlConnection(firstConnection);
            await connection.ExecuteAsync("CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
        }

        await using var second = new EmbeddedPostgres(options);
        var secondConnection = await second.StartAsync();
        await using var reopened = new NpgsqlConnection(secondConnection);

        Assert.Equal("still here", await reopened.QuerySingleAsync<string>("SELECT value FROM kept"));
        Assert.Equal(new NpgsqlConnectionStringBuilder(firstConnection).Password, new NpgsqlConnectionStringBuilder(secondConnection).Password);
    }

    [Fact]
    public async Task Cluster_listens_on_loopback_only_and_needs_its_password()
    {
        await using var server = new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = _folder });
        var connectionString = await server.StartAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        Assert.Equal("127.0.0.1", await connection.QuerySingleAsync<string>("SELECT current_setting('listen_addresses')"));
        var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = "not-the-password", Pooling = false };
        await using var intruder = new NpgsqlConnection(wrong.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => intruder.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task Stopping_stops_the_server_it_started()
    {
        var server = new EmbeddedPostgres(new EmbeddedPostgresOptions { DataDirectory = _folder });
        var connectionString = new NpgsqlConnectionStringBuilder(await server.StartAsync()) { Pooling = false, Timeout = 2 }.ConnectionString;

        await server.DisposeAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
        Assert.False(File.Exists(Path.Combine(_folder, "pgdata", "postmaster.pid")));
    }

    [Fact]
    public void Missing_server_binaries_give_one_line_that_says_how_to_install_them()
    {
        var error = Assert.Throws<EmbeddedPostgresException>(() =>
            PostgresBinaries.Locate(configuredDirectory: null, pathVariable: _folder, libRoot: Path.Combine(_folder, "nothing-here")));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:Moderator", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_connection_string_wins_over_the_embedded_cluster()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Moderator"] = "Host=db.example.invalid;Database=moderator",
            ["EmbeddedPostgres:DataDirectory"] = _folder,
        }).Build();

        await using var database = await DatabaseConnection.OpenAsync(configuration, NullLoggerFactory.Instance);

        Assert.Equal("Host=db.example.invalid;Database=moderator", database.ConnectionString);
        Assert.Null(database.Embedded);
        Assert.False(Directory.Exists(_folder));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was created.
        }
    }
}
