using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Demo;

/// <summary>One simulated platform of the demo: where its API listens and, when it has one, its console for people.</summary>
public sealed record DemoPlatform(Platform Platform, string AccountName, Uri ApiAddress, Uri? Console);

/// <summary>
/// The demo school: "Oakfield Primary School" with a Facebook page, an Instagram account, an X account and a YouTube
/// channel, each on a local simulator of that platform's API. All four are registered and approved in the database
/// with two moderators, a DSL, a deputy and an administrator, with credentials stored encrypted as the real ones are
/// (page tokens for Facebook and Instagram, OAuth access and refresh tokens for X and YouTube), so the real worker polls
/// them through the real connectors. Each platform receives its feed from seeds/demo/ over the first minute.
/// </summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    /// <summary>The Facebook page's id.</summary>
    public const string PageExternalId = "104857600123456";

    public const string InstagramAccountId = "17841400104857600";

    public const string XAccountId = "1500000000104857600";

    public const string YouTubeChannelId = "UCoakfieldPrimarySchool1";

    public const string Tag = "oakfield";

    /// <summary>Shared by every demo account; printed on start. The demo runs on loopback only.</summary>
    public const string Password = "oakfield-demo-2026";

    /// <summary>How often the demo asks for each page to be polled (the polling budget may stretch it).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    // The simulators' page tokens: not secrets, they open nothing but the local simulators. X and YouTube tokens are
    // issued by their simulators on every run (OAuth tokens rotate), so later runs store the new ones.
    private const string PageToken = "demo-page-token-oakfield";
    private const string InstagramToken = "demo-instagram-token-oakfield";

    private static readonly string[] Roles = ["moderator1", "moderator2", "dsl", "deputy", "admin", "trustlead"];

    private readonly FacebookSimulator _facebook;
    private readonly InstagramSimulator _instagram;
    private readonly XSimulator _x;
    private readonly YouTubeSimulator _youTube;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _stop = new();

    private DemoEnvironment(FacebookSimulator facebook, InstagramSimulator instagram, XSimulator x, YouTubeSimulator youTube, TimeProvider clock)
    {
        _facebook = facebook;
        _instagram = instagram;
        _x = x;
        _youTube = youTube;
        _clock = clock;
    }

    public Uri GraphBaseAddress => _facebook.BaseAddress!;

    /// <summary>The Facebook simulator's own console (what the page looks like to the public: which comments are hidden).</summary>
    public Uri SimulatorConsole => new(GraphBaseAddress, "/_sim");

    /// <summary>The four simulated platforms, for the start-up message.</summary>
    public IReadOnlyList<DemoPlatform> Platforms =>
    [
        new(Platform.Facebook, FacebookSimulator.DemoSchoolName, _facebook.BaseAddress!, SimulatorConsole),
        new(Platform.Instagram, "@" + InstagramSimulator.DemoUsername, _instagram.BaseAddress!, null),
        new(Platform.X, "@" + XUsername, _x.BaseAddress!, null),
        new(Platform.YouTube, YouTubeSimulator.DemoSchoolName, _youTube.BaseAddress!, null),
    ];

    /// <summary>What the worker and Admin must be told so that every connector talks to its simulator.</summary>
    public IReadOnlyDictionary<string, string?> ConnectorSettings => new Dictionary<string, string?>
    {
        ["Facebook:BaseAddress"] = _facebook.BaseAddress!.ToString(),
        ["Instagram:BaseAddress"] = _instagram.BaseAddress!.ToString(),
        ["X:BaseAddress"] = _x.BaseAddress!.ToString(),
        ["X:ClientId"] = _x.Options.ClientId,
        ["X:ClientSecret"] = _x.Options.ClientSecret,
        ["YouTube:BaseAddress"] = _youTube.BaseAddress!.ToString(),
        ["YouTube:TokenEndpoint"] = _youTube.TokenEndpoint!.ToString(),
        ["YouTube:ClientId"] = _youTube.ClientId,
        ["YouTube:ClientSecret"] = _youTube.ClientSecret,

        // The simulated X bills nothing: the demo plans with a paid tier's post-read cap so X is polled as often as the
        // others. YouTube keeps the real daily quota, so Admin shows its channel stretched by it.
        ["PollingBudget:XMonthlyPostReadCap"] = "1000000",
    };

    public IReadOnlyDictionary<string, string> Usernames { get; private set; } = new Dictionary<string, string>();

    private static string XUsername => "OakfieldPrimary";

    /// <summary>
    /// Starts the four simulators on <paramref name="firstPort"/> and the three ports after it (Facebook, Instagram, X,
    /// YouTube), or on any free ports when it is 0.
    /// </summary>
    public static async Task<DemoEnvironment> StartSimulatorsAsync(int firstPort, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        int Port(int offset) => firstPort == 0 ? 0 : firstPort + offset;
        var demo = new DemoEnvironment(new FacebookSimulator(clock), new InstagramSimulator(clock), new XSimulator(clock), new YouTubeSimulator(clock), clock);
        try
        {
            await demo._facebook.StartAsync(Port(0), cancellationToken);
            await demo._instagram.StartAsync(Port(1), cancellationToken);
            await demo._x.StartAsync(Port(2), cancellationToken);
            await demo._youTube.StartAsync(Port(3), cancellationToken);
            return demo;
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Registers the demo school and its four pages on first run; later runs reuse them, storing the credentials this
    /// run's simulators issued where they changed. Then starts each platform's comment replay. Call it once the schema is
    /// migrated and before the worker starts, so no poll runs with the previous run's tokens.
    /// </summary>
    public async Task SeedAndReplayAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var organisation = services.GetRequiredService<Organisation>();
        var staff = services.GetRequiredService<StaffDirectory>();
        var secrets = services.GetRequiredService<SecretProtector>();

        var facebook = _facebook.AddDemoSchool(PageExternalId, PageToken);
        var instagram = _instagram.AddDemoAccount(InstagramAccountId, InstagramToken);
        var x = _x.SeedDemo(LoadFeed(XSimulator.DemoFeedRelativePath) ?? [], _clock.GetUtcNow(), XUsername, XAccountId);
        var youTube = _youTube.AddDemoChannel(YouTubeChannelId);

        var school = await EnsureSchoolAsync(organisation, staff, secrets, cancellationToken);
        var pages = new (Platform Platform, string ExternalId, string Name, string Credentials)[]
        {
            (Platform.Instagram, InstagramAccountId, "@" + InstagramSimulator.DemoUsername, InstagramToken),
            (Platform.X, XAccountId, "@" + XUsername, x.Credentials),
            (Platform.YouTube, YouTubeChannelId, YouTubeSimulator.DemoSchoolName, _youTube.CredentialsFor(YouTubeChannelId)),
        };
        foreach (var (platform, externalId, name, credentials) in pages)
        {
            if (await organisation.FindPageIdAsync(platform, externalId, cancellationToken) is { } pageId)
            {
                await EnsureCredentialsAsync(organisation, secrets, pageId, credentials, cancellationToken);
            }
            else
            {
                var page = new DemoPage(platform, externalId, name, secrets.Protect(credentials), PollInterval);
                await DemoSchool.AddApprovedPageAsync(organisation, school.SchoolId, page, school.Moderators, school.ApprovedBy, cancellationToken);
            }
        }

        if (LoadFeed(DemoFeed.DefaultRelativePath) is { } facebookFeed)
        {
            _facebook.StartDemoReplay(facebook, facebookFeed, _stop.Token);
        }

        if (LoadFeed(DemoFeed.InstagramRelativePath) is { } instagramFeed)
        {
            _instagram.StartDemoReplay(instagram, instagramFeed, _stop.Token);
        }

        if (LoadFeed(YouTubeSimulator.DemoFeedRelativePath) is { } youTubeFeed)
        {
            _youTube.StartDemoReplay(youTube, youTubeFeed, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _facebook.DisposeAsync();
        await _instagram.DisposeAsync();
        await _x.DisposeAsync();
        await _youTube.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>A feed from seeds/demo/, found from the working directory or else from the program's folder; none when absent.</summary>
    private static IReadOnlyList<DemoComment>? LoadFeed(string relativePath) =>
        (DemoFeed.Locate(null, relativePath) ?? DemoFeed.Locate(AppContext.BaseDirectory, relativePath)) is { } path ? DemoFeed.Load(path) : null;

    /// <summary>The school with its Facebook page: seeded on first run, found (and its page token kept current) later.</summary>
    private async Task<SeededSchool> EnsureSchoolAsync(Organisation organisation, StaffDirectory staff, SecretProtector secrets, CancellationToken cancellationToken)
    {
        if (await organisation.FindPageIdAsync(Platform.Facebook, PageExternalId, cancellationToken) is not { } pageId)
        {
            var ids = await DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest(new PasswordHasher<string>().HashPassword(Tag, Password), Tag)
            {
                PageExternalId = PageExternalId,
                PageName = FacebookSimulator.DemoSchoolName,
                CredentialsCiphertext = secrets.Protect(PageToken),
                PollInterval = PollInterval,
            }, cancellationToken);
            Usernames = ids.Usernames;
            return new SeededSchool(ids.SchoolId, [ids.Moderator1Id, ids.Moderator2Id], Actor.Staff(ids.AdministratorId));
        }

        Usernames = Roles.ToDictionary(k => k, k => $"{k}.{Tag}");
        await EnsureCredentialsAsync(organisation, secrets, pageId, PageToken, cancellationToken);
        var page = await organisation.GetPageAsync(pageId, cancellationToken);
        var admin = await staff.FindBySignInNameAsync($"admin.{Tag}", cancellationToken);
        return new SeededSchool(
            page.SchoolId,
            [.. page.Moderators.Where(m => m.Active).Select(m => m.StaffId)],
            admin is null ? Actor.System : Actor.Staff(admin.Id));
    }

    /// <summary>
    /// Stores <paramref name="credentials"/> as the page's (a reconnection, audited) when they differ from what is
    /// stored, or when the platform refused the stored ones; a retired page stays retired.
    /// </summary>
    private static async Task EnsureCredentialsAsync(Organisation organisation, SecretProtector secrets, Guid pageId, string credentials, CancellationToken cancellationToken)
    {
        var page = await organisation.GetPageAsync(pageId, cancellationToken);
        if (page.Status == PageStatus.Deactivated || (page.Status != PageStatus.NeedsReconnect && Stored(secrets, page) == credentials))
        {
            return;
        }

        await organisation.ReconnectAsync(pageId, secrets.Protect(credentials), Actor.System, cancellationToken);
    }

    private static string? Stored(SecretProtector secrets, Page page)
    {
        try
        {
            return page.CredentialsCiphertext is null ? null : secrets.Unprotect(page.CredentialsCiphertext);
        }
        catch (CryptographicException)
        {
            return null; // the key ring changed: store the credentials again
        }
    }

    private sealed record SeededSchool(Guid SchoolId, IReadOnlyList<Guid> Moderators, Actor ApprovedBy);
}
