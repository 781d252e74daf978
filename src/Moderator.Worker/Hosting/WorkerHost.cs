using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core.Hosting;
using Moderator.Core.Storage;
using Moderator.Core.Platforms;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Worker.Jobs;
using Moderator.Worker.Notifications;
using Moderator.Worker.Platforms.Facebook;
using Moderator.Worker.Platforms.Instagram;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Polling;
using Quartz;
using Serilog;

namespace Moderator.Worker.Hosting;

public static class WorkerHost
{
    public const string SchedulerName = "moderator";

    /// <summary>This process's node id in the cluster: host, process id and a random suffix (a restarted process is a new node).</summary>
    public static string NodeId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A host builder with Serilog and configuration from appsettings.json, environment and command line.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(ModeratorLogging.CreateLogger(builder.Configuration, "worker"), dispose: true);
        return builder;
    }

    /// <summary>Registers the unattended worker on a builder whose database is open.</summary>
    public static HostApplicationBuilder AddWorker(this HostApplicationBuilder builder, DatabaseConnection database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(database);
        builder.Services.AddModeratorStorage(database.ConnectionString);
        builder.Services.AddModeratorWorker(builder.Configuration, database.ConnectionString);
        return builder;
    }

    public static IServiceCollection AddModeratorWorker(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        var workerOptions = configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = SchedulerName; // the same on every node: one cluster
                o.InstanceId = NodeId;          // distinct per node
            });
            q.UseDefaultThreadPool(tp => tp.MaxConcurrency = Math.Clamp(workerOptions.MaxConcurrentJobs, 1, 64));
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c => c.CheckinInterval = workerOptions.ClusterCheckinInterval);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                store.ConfigureStore(o => o.TablePrefix = "qrtz_");
            });
            Schedules.AddJobs(q);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddModeratorWorkflow();
        services.AddOutboxDispatcher();
        services.AddModeratorDataProtection();
        services.AddFacebookConnector(configuration);
        services.AddInstagramConnector(configuration);
        services.AddYouTubeConnector(configuration);
        services.AddXConnector(configuration);
        services.AddPollingBudget(configuration);
        services.AddNotifications(configuration);
        services.AddModerationModel(configuration);
        services.AddPagePolling();
        services.AddTransient<IPlatformActions, PlatformActionExecutor>();
        services.AddHostedService<NodeRegistration>();
        services.AddHostedService<Schedules>();
        return services;
    }
}
