using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Moderator.Core.Storage.Embedded;

namespace Moderator.Core.Storage;

/// <summary>
/// The database this process uses: the configured server (ConnectionStrings:Moderator, or MODERATOR_DB),
/// or else a private embedded PostgreSQL that lives as long as this object.
/// </summary>
public sealed class DatabaseConnection : IAsyncDisposable
{
    public const string ConnectionStringName = "Moderator";
    public const string EnvironmentVariable = "MODERATOR_DB";

    private DatabaseConnection(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        Embedded = embedded;
    }

    public string ConnectionString { get; }

    /// <summary>The embedded server, when no connection string was configured.</summary>
    public EmbeddedPostgres? Embedded { get; }

    /// <summary>The configured connection string, if any (configuration first, then MODERATOR_DB).</summary>
    public static string? Configured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            configured = configuration[EnvironmentVariable] ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        return string.IsNullOrWhiteSpace(configured) ? null : configured;
    }

    public static async Task<DatabaseConnection> OpenAsync(IConfiguration configuration, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var configured = Configured(configuration);
        if (configured is not null)
        {
            return new DatabaseConnection(configured, null);
        }

        var options = new EmbeddedPostgresOptions();
        configuration.GetSection(EmbeddedPostgresOptions.SectionName).Bind(options);
        var embedded = new EmbeddedPostgres(options, loggerFactory.CreateLogger<EmbeddedPostgres>());
        try
        {
            return new DatabaseConnection(await embedded.StartAsync(cancellationToken), embedded);
        }
        catch
        {
            await embedded.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Embedded is not null)
        {
            await Embedded.DisposeAsync();
        }
    }
}
