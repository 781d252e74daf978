using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Facebook;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>A running simulator with one page, and the real connector registered as the worker registers it, pointed at it.</summary>
internal sealed class GraphHarness : IAsyncDisposable
{
    private GraphHarness(FacebookSimulator simulator, ServiceProvider services, LogCapture logs, SimulatedPage page)
    {
        Simulator = simulator;
        Services = services;
        Logs = logs;
        Page = page;
    }

    public FacebookSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public LogCapture Logs { get; }

    public SimulatedPage Page { get; }

    public PageAccess Access => new(Page.Id, Page.AccessToken);

    public FacebookConnector Connector => Services.GetRequiredService<FacebookConnector>();

    public FacebookGraphClient Graph => Services.GetRequiredService<FacebookGraphClient>();

    public FacebookRateGate Gate => Services.GetRequiredService<FacebookRateGate>();

    public static async Task<GraphHarness> StartAsync(
        Dictionary<string, string?>? settings = null,
        FacebookSimulatorOptions? simulatorOptions = null,
        TimeProvider? clock = null)
    {
        var simulator = new FacebookSimulator(clock, simulatorOptions);
        var baseAddress = await simulator.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["Facebook:BaseAddress"] = baseAddress.ToString(),
            ["Facebook:RequestTimeout"] = Span(TimeSpan.FromSeconds(5)),
            ["Facebook:RateLimitBackoff"] = Span(TimeSpan.FromMilliseconds(200)),
            ["Facebook:MaxSlowDownDelay"] = Span(TimeSpan.FromMilliseconds(400)),
            ["Facebook:MaxInlineWait"] = Span(TimeSpan.FromSeconds(2)),
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddFacebookConnector(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<FacebookOptions>>().Value;
        var page = simulator.AddPage("Oakfield Primary School");
        return new GraphHarness(simulator, provider, logs, page);
    }

    public static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
