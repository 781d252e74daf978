using System.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Admin;
using Moderator.Core.Storage;
using Moderator.Core.Storage.Embedded;
using Moderator.Worker.Demo;
using Moderator.Worker.Hosting;

namespace Moderator.Worker.Commands;

/// <summary>`run`, `migrate` and `demo`: the commands that start processes.</summary>
public static class HostCommands
{
    private static readonly Option<string?> ConnectionOption = new("--connection")
    {
        Description = "PostgreSQL connection string (else ConnectionStrings:Moderator or MODERATOR_DB; else a private embedded cluster).",
    };

    private static readonly Option<string?> DataDirectoryOption = new("--data-dir")
    {
        Description = "Folder of the embedded PostgreSQL cluster when no connection string is configured (default .data/postgres).",
    };

    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Options.Add(ConnectionOption);
        root.Options.Add(DataDirectoryOption);
        ConnectionOption.Recursive = true;
        DataDirectoryOption.Recursive = true;

        var run = new Command("run", "Run the unattended worker: Quartz jobs clustered on PostgreSQL (polls, outbox, deadlines, retention, heartbeat). Stop with Ctrl+C.");
        run.SetAction((result, ct) => Guard(() => RunWorkerAsync(Overrides(result), ct)));
        root.Subcommands.Add(run);

        var migrate = new Command("migrate", "Apply the database migrations and print the schema version.");
        migrate.SetAction((result, ct) => Guard(() => MigrateAsync(Overrides(result), ct)));
        root.Subcommands.Add(migrate);

        var adminUrl = new Option<string>("--admin-url") { Description = "Where Admin listens.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var simulatorPort = new Option<int>("--simulator-port")
        {
            Description = "First of four consecutive ports for the simulated Facebook, Instagram, X and YouTube (0 = any free ports).",
            DefaultValueFactory = _ => 5081,
        };
        var demo = new Command("demo", "Run everything on one machine: embedded PostgreSQL, the worker and Admin, with a demo school on simulated Facebook, Instagram, X and YouTube.");
        demo.Options.Add(adminUrl);
        demo.Options.Add(simulatorPort);
        demo.SetAction((result, ct) => Guard(() => DemoAsync(Overrides(result), result.GetValue(adminUrl)!.TrimEnd('/'), result.GetValue(simulatorPort), ct)));
        root.Subcommands.Add(demo);
    }

    private static Dictionary<string, string?> Overrides(ParseResult result)
    {
        var overrides = new Dictionary<string, string?>();
        if (result.GetValue(ConnectionOption) is { Length: > 0 } connection)
        {
            overrides[$"ConnectionStrings:{DatabaseConnection.ConnectionStringName}"] = connection;
        }

        if (result.GetValue(DataDirectoryOption) is { Length: > 0 } dataDir)
        {
            overrides[$"{EmbeddedPostgresOptions.SectionName}:{nameof(EmbeddedPostgresOptions.DataDirectory)}"] = dataDir;
        }

        return overrides;
    }

    private static async Task<int> RunWorkerAsync(Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var builder = WorkerHost.CreateBuilder([], overrides);
        await using var database = await OpenDatabaseAsync(builder.Configuration, cancellationToken);
        using var host = builder.AddWorker(database).Build();
        await host.RunAsync(cancellationToken);
        return 0;
    }

    private static async Task<int> MigrateAsync(Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var builder = WorkerHost.CreateBuilder([], overrides);
        await using var database = await OpenDatabaseAsync(builder.Configuration, cancellationToken);
        builder.Services.AddModeratorStorage(database.ConnectionString, migrateOnStart: false);
        using var host = builder.Build();
        var version = await host.Services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
        await Console.Out.WriteLineAsync($"Database schema is at version {version}.");
        return 0;
    }

    private static async Task<int> DemoAsync(Dictionary<string, string?> overrides, string adminUrl, int simulatorPort, CancellationToken cancellationToken)
    {
        await using var demo = await DemoEnvironment.StartSimulatorsAsync(simulatorPort, TimeProvider.System, cancellationToken);
        var dataDirectory = overrides.GetValueOrDefault($"{EmbeddedPostgresOptions.SectionName}:{nameof(EmbeddedPostgresOptions.DataDirectory)}") ?? ".data/postgres";
        var mailDrop = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataDirectory))!, "mail");
        var settings = new Dictionary<string, string?>(overrides)
        {
            ["Notifications:AdminBaseUrl"] = adminUrl + "/",
            ["Notifications:Email:DropFolder"] = mailDrop,
            ["Worker:OutboxInterval"] = "00:00:01",
        };
        foreach (var (key, value) in demo.ConnectorSettings)
        {
            settings[key] = value;
        }

        var workerBuilder = WorkerHost.CreateBuilder([], settings);
        await using var database = await OpenDatabaseAsync(workerBuilder.Configuration, cancellationToken);
        using var worker = workerBuilder.AddWorker(database).Build();

        var adminBuilder = AdminApp.CreateBuilder([]);
        adminBuilder.Configuration.AddInMemoryCollection(settings);
        adminBuilder.WebHost.UseUrls(adminUrl);
        await adminBuilder.AddAdminAsync(sharedDatabase: database);
        await using var admin = adminBuilder.Build();
        admin.MapAdmin();

        // Schema first, then the school and this run's credentials, then the worker: its first polls use current tokens.
        await worker.Services.GetRequiredService<MigrationRunner>().MigrateAsync(cancellationToken);
        await demo.SeedAndReplayAsync(worker.Services, cancellationToken);
        await worker.StartAsync(cancellationToken);
        await admin.StartAsync(cancellationToken);
        await Console.Out.WriteLineAsync(StartMessage(demo, adminUrl, mailDrop, database));
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: fall through to an orderly stop.
        }

        await admin.StopAsync(CancellationToken.None);
        await worker.StopAsync(CancellationToken.None);
        return 0;
    }

    private static string StartMessage(DemoEnvironment demo, string adminUrl, string mailDrop, DatabaseConnection database)
    {
        var signIns = string.Join("\n", demo.Usernames.Select(u => $"    {u.Key,-11} {u.Value}"));
        var platforms = string.Join("\n", demo.Platforms.Select(p =>
            $"    {p.Platform,-10} {p.AccountName,-24} API {p.ApiAddress}" + (p.Console is null ? "  (no console)" : $"\n               console (the page as the public sees it): {p.Console}")));
        return $"""

            Moderator demo is running.
              Admin:      {adminUrl}/
              Sign in as (password "{DemoEnvironment.Password}"):
            {signIns}
              Oakfield Primary School on simulated platforms:
            {platforms}
              DSL alerts (e-mail drop folder): {mailDrop}
              Database:   {(database.Embedded is null ? "configured server" : "embedded PostgreSQL in " + database.Embedded.DataDirectory)}
            Comments arrive on every platform over the next minute; harmful ones are hidden (held for review on YouTube; on X a
            reply in a conversation the school did not start cannot be hidden and is flagged "act on the platform"), and cases
            wait in the queue. Press Ctrl+C to stop everything.

            """;
    }

    private static async Task<DatabaseConnection> OpenDatabaseAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        return await DatabaseConnection.OpenAsync(configuration, loggers, cancellationToken);
    }

    /// <summary>Turns start-up failures a person can fix into one clear line and a non-zero exit code.</summary>
    internal static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"moderator: configuration error: {string.Join(" ", e.Failures)}");
            return 2;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException))
        {
            // Several options classes failed at start: still one line, naming every setting.
            var failures = e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures);
            await Console.Error.WriteLineAsync($"moderator: configuration error: {string.Join(" ", failures)}");
            return 2;
        }
        catch (EmbeddedPostgresException e)
        {
            await Console.Error.WriteLineAsync($"moderator: {e.Message}");
            return 3;
        }
        catch (FileNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"moderator: {e.Message}");
            return 5;
        }
        catch (Npgsql.NpgsqlException e)
        {
            await Console.Error.WriteLineAsync($"moderator: cannot use the database: {e.Message}");
            return 4;
        }
    }
}
