using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Facebook;
using Moderator.Worker.Platforms.Instagram;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>A running Instagram simulator with one account, and the real connector registered as the worker would, pointed at it.</summary>
internal sealed class InstagramHarness : IAsyncDisposable
{
    private InstagramHarness(InstagramSimulator simulator, ServiceProvider services, LogCapture logs, SimulatedPage account)
    {
        Simulator = simulator;
        Services = services;
        Logs = logs;
        Account = account;
    }

    public InstagramSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public LogCapture Logs { get; }

    public SimulatedPage Account { get; }

    public PageAccess Access => new(Account.Id, Account.AccessToken);

    public InstagramConnector Connector => Services.GetRequiredService<InstagramConnector>();

    public InstagramGraphClient Graph => Services.GetRequiredService<InstagramGraphClient>();

    public GraphRateGate Gate => Services.GetRequiredService<InstagramRateGate>().Graph;

    public static async Task<InstagramHarness> StartAsync(
        Dictionary<string, string?>? settings = null,
        FacebookSimulatorOptions? simulatorOptions = null,
        TimeProvider? clock = null)
    {
        var simulator = new InstagramSimulator(clock, simulatorOptions);
        var baseAddress = await simulator.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["Instagram:BaseAddress"] = baseAddress.ToString(),
            ["Instagram:RequestTimeout"] = GraphHarness.Span(TimeSpan.FromSeconds(5)),
            ["Instagram:RateLimitBackoff"] = GraphHarness.Span(TimeSpan.FromMilliseconds(200)),
            ["Instagram:MaxSlowDownDelay"] = GraphHarness.Span(TimeSpan.FromMilliseconds(400)),
            ["Instagram:MaxInlineWait"] = GraphHarness.Span(TimeSpan.FromSeconds(2)),
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

        services.AddInstagramConnector(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<InstagramOptions>>().Value;
        var account = simulator.AddAccount("oakfieldprimary");
        return new InstagramHarness(simulator, provider, logs, account);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
