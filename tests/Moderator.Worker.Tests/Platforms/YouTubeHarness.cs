using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Testing;
using Moderator.Worker.Simulator;
using Npgsql;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// A running YouTube simulator with one channel and one owned video, and the real connector registered as the worker
/// registers it, pointed at it, on a clock only the test moves. Refreshed secrets are kept in <see cref="SavedSecrets"/>.
/// </summary>
internal sealed class YouTubeHarness : IAsyncDisposable
{
    /// <summary>Thursday 20 November 2026, 10:00 UTC = 02:00 Pacific standard time.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private readonly List<ServiceProvider> _otherNodes = [];
    private readonly IConfiguration _configuration;
    private readonly NpgsqlDataSource _database;

    private YouTubeHarness(YouTubeSimulator simulator, ServiceProvider services, IConfiguration configuration, NpgsqlDataSource database, LogCapture logs, ManualTimeProvider clock, SimulatedChannel channel, string videoId)
    {
        _configuration = configuration;
        _database = database;
        Simulator = simulator;
        Services = services;
        Logs = logs;
        Clock = clock;
        Channel = channel;
        VideoId = videoId;
        Access = NewAccess(simulator.CredentialsFor(channel.Id));
    }

    public YouTubeSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public LogCapture Logs { get; }

    public ManualTimeProvider Clock { get; }

    public SimulatedChannel Channel { get; }

    /// <summary>A video the channel owns.</summary>
    public string VideoId { get; }

    /// <summary>The page as the poller hands it over; refreshes write into it and into <see cref="SavedSecrets"/>.</summary>
    public PageAccess Access { get; }

    public ConcurrentQueue<string> SavedSecrets { get; } = new();

    public YouTubeConnector Connector => Services.GetRequiredService<YouTubeConnector>();

    public YouTubeQuota Quota => Services.GetRequiredService<YouTubeQuota>();

    public static async Task<YouTubeHarness> StartAsync(
        Dictionary<string, string?>? settings = null,
        YouTubeSimulatorOptions? simulatorOptions = null,
        DateTimeOffset? start = null)
    {
        var clock = new ManualTimeProvider(start ?? Start);
        var simulator = new YouTubeSimulator(clock, simulatorOptions);
        var baseAddress = await simulator.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["YouTube:BaseAddress"] = baseAddress.ToString(),
            ["YouTube:TokenEndpoint"] = simulator.TokenEndpoint!.ToString(),
            ["YouTube:ClientId"] = simulator.ClientId,
            ["YouTube:ClientSecret"] = simulator.ClientSecret,
            ["YouTube:RequestTimeout"] = Span(TimeSpan.FromSeconds(5)),
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new LogCapture();

        // The quota ledger's table, shared with other harnesses: each simulator's client id (a fresh one per simulator)
        // keeps its quota days apart.
        var database = await SharedDatabase.DataSourceAsync();
        var provider = BuildNode(configuration, database, logs, clock);
        var channel = simulator.AddChannel("Oakfield Primary School");
        var video = simulator.AddVideo(channel.Id, "Sports Day Highlights");
        return new YouTubeHarness(simulator, provider, configuration, database, logs, clock, channel, video);
    }

    /// <summary>The YouTube connector of another worker process (or this one restarted): same settings, clock and database, nothing in memory shared.</summary>
    public ServiceProvider AnotherNode()
    {
        var node = BuildNode(_configuration, _database, Logs, Clock);
        _otherNodes.Add(node);
        return node;
    }

    private static ServiceProvider BuildNode(IConfiguration configuration, NpgsqlDataSource database, LogCapture logs, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(clock);
        services.AddSingleton(database);
        services.AddYouTubeConnector(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<YouTubeOptions>>().Value;
        return provider;
    }

    public PageAccess NewAccess(string secret) =>
        new(Channel.Id, secret, (saved, _) =>
        {
            SavedSecrets.Enqueue(saved);
            return Task.CompletedTask;
        });

    public Task<CommentBatch> PollAsync(string? cursor = null) => Connector.ListNewCommentsAsync(Access, cursor, CancellationToken.None);

    public static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _otherNodes)
        {
            await node.DisposeAsync();
        }

        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
