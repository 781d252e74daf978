using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.X;
using Moderator.Testing;
using Moderator.Worker.Simulator;
using Npgsql;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// A running X simulator with the school's account and a parent account, and the real X connector registered as the
/// worker registers it, pointed at it. Both share one manual clock, so token expiry and rate-limit resets are driven
/// by the test. Refreshed secrets saved through <see cref="Access"/> are collected in <see cref="SavedSecrets"/>.
/// </summary>
internal sealed class XHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private readonly List<ServiceProvider> _otherNodes = [];
    private readonly IConfiguration _configuration;
    private readonly NpgsqlDataSource _database;

    private XHarness(XSimulator simulator, ServiceProvider services, IConfiguration configuration, NpgsqlDataSource database, LogCapture logs, ManualTimeProvider clock)
    {
        _configuration = configuration;
        _database = database;
        Simulator = simulator;
        Services = services;
        Logs = logs;
        Clock = clock;
        School = simulator.AddAccount("OakfieldPrimary", "Oakfield Primary School");
        Parent = simulator.AddAccount("sunnyparent77", "Priya Kettering");
        Secret = simulator.IssueCredentials(School.Id);
        Access = NewAccess();
    }

    public XSimulator Simulator { get; }

    /// <summary>The OAuth client id the simulator and the connector share (unique per harness).</summary>
    public string ClientId => _configuration["X:ClientId"]!;

    public ServiceProvider Services { get; }

    public LogCapture Logs { get; }

    public ManualTimeProvider Clock { get; }

    public SimulatedXAccount School { get; }

    public SimulatedXAccount Parent { get; }

    /// <summary>The secret as first stored for the school's account.</summary>
    public string Secret { get; set; }

    public PageAccess Access { get; set; }

    public ConcurrentQueue<string> SavedSecrets { get; } = new();

    public XConnector Connector => Services.GetRequiredService<XConnector>();

    public XRateGate Gate => Services.GetRequiredService<XRateGate>();

    public XReadMeter Meter => Services.GetRequiredService<XReadMeter>();

    /// <param name="start">The clock's start (default <see cref="Start"/>); post ids derive from it, so tests sharing a database start apart.</param>
    public static async Task<XHarness> StartAsync(Dictionary<string, string?>? settings = null, XSimulatorOptions? simulatorOptions = null, DateTimeOffset? start = null)
    {
        var clock = new ManualTimeProvider(start ?? Start);
        var options = simulatorOptions ?? new XSimulatorOptions();
        if (options.ClientId == new XSimulatorOptions().ClientId)
        {
            // The post-read meter's ledger is shared with other harnesses; a client id of its own keeps this app's months apart.
            options.ClientId = $"sim-client-{Guid.NewGuid():N}";
        }

        var simulator = new XSimulator(clock, options);
        var baseAddress = await simulator.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["X:BaseAddress"] = baseAddress.ToString(),
            ["X:ClientId"] = options.ClientId,
            ["X:ClientSecret"] = options.ClientSecret,
            ["X:RequestTimeout"] = Span(TimeSpan.FromSeconds(5)),
            ["X:MaxInlineWait"] = Span(TimeSpan.FromSeconds(2)),
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var logs = new LogCapture();
        var database = await SharedDatabase.DataSourceAsync();
        return new XHarness(simulator, BuildNode(configuration, database, logs, clock), configuration, database, logs, clock);
    }

    /// <summary>The X connector of a second worker process: same settings, clock and database, its own token cache, rate gate and meter.</summary>
    public XConnector AnotherNode() => AnotherNodeServices().GetRequiredService<XConnector>();

    /// <summary>The services of a second worker process (or this one restarted).</summary>
    public ServiceProvider AnotherNodeServices()
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
        services.AddXConnector(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _ = provider.GetRequiredService<IOptions<XOptions>>().Value;
        return provider;
    }

    public static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>A PageAccess over the current secret, saving refreshed secrets as the worker would (for every node).</summary>
    public PageAccess NewAccess() => new(School.Id, Secret, (secret, _) =>
    {
        SavedSecrets.Enqueue(secret);
        Secret = secret;
        return Task.CompletedTask;
    });

    /// <summary>A post by the school (starting a conversation) with <paramref name="count"/> replies from the parent, one millisecond apart.</summary>
    public (string PostId, List<string> Replies) SchoolPostWithReplies(int count, string text = "A reply")
    {
        var post = Simulator.AddPost(School.Id, "Our open morning is on Friday.", Clock.GetUtcNow() - TimeSpan.FromHours(1));
        var replies = new List<string>();
        for (var i = 0; i < count; i++)
        {
            replies.Add(Simulator.AddReply(post, Parent.Id, $"{text} {i}", Clock.GetUtcNow() - TimeSpan.FromMinutes(30) + TimeSpan.FromMilliseconds(i)));
        }

        return (post, replies);
    }

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
