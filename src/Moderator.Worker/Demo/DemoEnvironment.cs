using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Demo;

/// <summary>
/// The demo school: a simulated Facebook page for "Oakfield Primary School" that receives the comments in
/// seeds/demo/ over its first minute, registered and approved in the database with two moderators, a DSL, a
/// deputy and an administrator, so the real worker polls it through the real connector.
/// </summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    public const string PageExternalId = "104857600123456";
    public const string Tag = "oakfield";

    /// <summary>Shared by every demo account; printed on start. The demo runs on loopback only.</summary>
    public const string Password = "oakfield-demo-2026";

    // The simulator's page token: not a secret, it opens nothing but the local simulator.
    private const string PageToken = "demo-page-token-oakfield";

    private static readonly string[] Roles = ["moderator1", "moderator2", "dsl", "deputy", "admin", "trustlead"];

    private readonly FacebookSimulator _simulator;
    private readonly CancellationTokenSource _stop = new();

    private DemoEnvironment(FacebookSimulator simulator, Uri graphBaseAddress)
    {
        _simulator = simulator;
        GraphBaseAddress = graphBaseAddress;
    }

    public Uri GraphBaseAddress { get; }

    /// <summary>The simulator's own console (what the page looks like to the public: which comments are hidden).</summary>
    public Uri SimulatorConsole => new(GraphBaseAddress, "/_sim");

    public IReadOnlyDictionary<string, string> Usernames { get; private set; } = new Dictionary<string, string>();

    public static async Task<DemoEnvironment> StartSimulatorAsync(int port, TimeProvider clock, CancellationToken cancellationToken)
    {
        var simulator = new FacebookSimulator(clock);
        var baseAddress = await simulator.StartAsync(port, cancellationToken);
        return new DemoEnvironment(simulator, baseAddress);
    }

    /// <summary>Registers the demo school on first run (later runs reuse it) and starts the comment replay.</summary>
    public async Task SeedAndReplayAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var organisation = services.GetRequiredService<Organisation>();
        var staff = services.GetRequiredService<StaffDirectory>();
        var secrets = services.GetRequiredService<SecretProtector>();

        if (await organisation.FindPageIdAsync(Platform.Facebook, PageExternalId, cancellationToken) is null)
        {
            var ids = await Core.Workflow.DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest(new PasswordHasher<string>().HashPassword(Tag, Password), Tag)
            {
                PageExternalId = PageExternalId,
                PageName = FacebookSimulator.DemoSchoolName,
                CredentialsCiphertext = secrets.Protect(PageToken),
                PollInterval = TimeSpan.FromSeconds(10),
            }, cancellationToken);
            Usernames = ids.Usernames;
        }
        else
        {
            Usernames = Roles.ToDictionary(k => k, k => $"{k}.{Tag}");
        }

        var school = _simulator.AddDemoSchool(PageExternalId, PageToken);
        if ((DemoFeed.Locate() ?? DemoFeed.Locate(AppContext.BaseDirectory)) is { } feedPath)
        {
            _simulator.StartDemoReplay(school, DemoFeed.Load(feedPath), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _simulator.DisposeAsync();
        _stop.Dispose();
    }
}
