using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moderator.Core.Hosting;
using Moderator.Admin.Webhooks;
using Moderator.Core.Storage;
using Moderator.Core.Workflow;
using Npgsql;
using Serilog;

namespace Moderator.Admin;

public static class AdminApp
{
    /// <summary>
    /// A builder whose application is Moderator.Admin even when another process hosts it (the `moderator demo`
    /// command), so Razor Pages and other parts are found in this assembly.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ApplicationName = typeof(AdminApp).Assembly.GetName().Name,
    });
}

public static class AdminExtensions
{
    /// <summary>
    /// Connects to the database (the configured one, or a private embedded cluster) and registers every Admin
    /// feature. The returned handle stops the embedded cluster when disposed. With <paramref name="sharedDatabase"/>
    /// (the demo) the caller owns the database and has migrated it.
    /// </summary>
    public static async Task<DatabaseConnection> AddAdminAsync(this WebApplicationBuilder builder, DatabaseConnection? sharedDatabase = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(ModeratorLogging.CreateLogger(builder.Configuration, "admin"), dispose: true);
        using var bootstrapLogging = LoggerFactory.Create(b => b.AddSerilog(ModeratorLogging.CreateLogger(builder.Configuration, "admin")));
        var database = sharedDatabase ?? await DatabaseConnection.OpenAsync(builder.Configuration, bootstrapLogging);
        builder.Services.AddModeratorStorage(database.ConnectionString, migrateOnStart: sharedDatabase is null);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddModeratorWorkflow();
        builder.Services.AddMetaWebhooks(builder.Configuration);
        return database;
    }

    public static WebApplication MapAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapMetaWebhooks();
        return app;
    }

    private sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException e)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.", e);
            }
        }
    }
}
