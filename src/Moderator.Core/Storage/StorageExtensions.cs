using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Moderator.Core.Storage;

public static class StorageExtensions
{
    /// <summary>Registers the PostgreSQL data source, migrations (applied at start) and the node registry.</summary>
    public static IServiceCollection AddModeratorStorage(this IServiceCollection services, string connectionString, bool migrateOnStart = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "moderator" }.Build());
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<NodeRegistry>();
        if (migrateOnStart)
        {
            // Registered before other hosted services so the schema exists before any job or page runs.
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrateOnStart>());
        }

        return services;
    }

    private sealed class MigrateOnStart(MigrationRunner runner) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => runner.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
