using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace Moderator.Core.Hosting;

/// <summary>
/// Serilog for every process: console plus a daily rolling file (Logging:Directory, default logs/), overridable from
/// the "Serilog" section. Messages carry ids and categories only, never comment text, names or tokens.
/// </summary>
public static class ModeratorLogging
{
    public static Serilog.ILogger CreateLogger(IConfiguration configuration, string processName)
    {
        var logDirectory = configuration["Logging:Directory"] ?? "logs";
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Process", processName)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(Path.Combine(logDirectory, $"{processName}-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                outputTemplate: "{Timestamp:o} [{Level:u3}] ({Process}/{ProcessId}) {SourceContext} {EventId}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .ReadFrom.Configuration(configuration);
        return config.CreateLogger().ForContext("ProcessId", Environment.ProcessId);
    }
}
