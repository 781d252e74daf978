using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// A running YouTube simulator with one channel and one owned video, and the real connector registered as the worker
/// registers it, pointed at it, on a clock only the test moves. Refreshed secrets are kept in <see cref="SavedSecrets"/>.
/// </summary>
internal sealed class YouTubeHarness : IAsyncDisposable
{
    /// <summary>Thursday 20 November 2026, 10:00 UTC = 02:00 Pacific standard time.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private YouTubeHarness(YouTubeSimulator simulator, ServiceProvider services, LogCapture logs, ManualTimeProvider clock, SimulatedChannel channel, string videoId)
    {
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
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<TimeProvider>(clock);
        services.AddYouTubeConnector(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<YouTubeOptions>>().Value;
        var channel = simulator.AddChannel("Oakfield Primary School");
        var video = simulator.AddVideo(channel.Id, "Sports Day Highlights");
        return new YouTubeHarness(simulator, provider, logs, clock, channel, video);
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
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
