using Moderator.Core;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>
/// The school's X account with one post starting a conversation; visitors' comments are replies in it (X lets the
/// account hide only replies in conversations it started). Hidden = <c>PUT /2/tweets/{id}/hidden</c>.
/// </summary>
internal sealed class SimulatedX : SimulatedPlatform
{
    /// <summary>
    /// X's rate windows are 15 minutes; here 3 seconds, so a 429's <c>x-rate-limit-reset</c> (the window's end) comes
    /// within the test while the worker still has to wait for it.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    private readonly Uri _baseAddress;
    private readonly SimulatedXAccount _school;
    private readonly SimulatedXAccount _visitor;
    private readonly SimulatedXAccount _neighbour;
    private readonly string _conversation;
    private readonly XCredentials _credentials;

    private SimulatedX(XSimulator simulator, Uri baseAddress)
    {
        Simulator = simulator;
        _baseAddress = baseAddress;
        _school = simulator.AddAccount("OakfieldPrimary", "Oakfield Primary School");
        _visitor = simulator.AddAccount("psentinelworth", "Philippa " + AuthorSentinel);
        _neighbour = simulator.AddAccount("kitbramblewood", "Kit Bramblewood");
        _conversation = simulator.AddPost(_school.Id, "Sports day photos are up!");
        Secret = simulator.IssueCredentials(_school.Id);
        _credentials = XCredentials.TryParse(Secret) ?? throw new InvalidOperationException("The simulator issued unreadable credentials.");
    }

    public XSimulator Simulator { get; }

    public override Platform Platform => Platform.X;

    public override string ExternalId => _school.Id;

    public override string PageName => _school.Name;

    public override string Secret { get; }

    /// <summary>The issued tokens and the prefixes of every token the simulator issues (refreshed ones included).</summary>
    public override IReadOnlyList<string> SecretsNeverLogged => [_credentials.AccessToken, _credentials.RefreshToken, "simXat", "simXrt"];

    public override IReadOnlyDictionary<string, string> WorkerSettings => new Dictionary<string, string>
    {
        ["X__BaseAddress"] = _baseAddress.ToString(),
        ["X__ClientId"] = Simulator.Options.ClientId,
        ["X__RequestTimeout"] = "00:00:02",
        ["X__MaxInlineWait"] = "00:00:02",
        ["X__RateLimitBackoff"] = "00:00:01",
        ["X__UsageCappedBackoff"] = "00:00:02",
        // Enough paid reads and requests for one poll a second.
        ["PollingBudget__XMonthlyPostReadCap"] = "100000000",
        ["PollingBudget__XUserRequestsPer15Minutes"] = "900",
        ["PollingBudget__XAppRequestsPer15Minutes"] = "900",
    };

    /// <summary>X's API does not say whether a reply is hidden; hiding twice is harmless there.</summary>
    public override bool RetriedHideIsSentAgain => true;

    public override int TotalHideRequests => Simulator.Calls(XSimulatorEndpoints.Hide);

    public override int PendingFaults => Simulator.PendingFaults;

    public override int ThrottledResponses => Simulator.RateLimitedResponses;

    public static async Task<SimulatedX> StartAsync()
    {
        var simulator = new XSimulator(options: new XSimulatorOptions { Window = Window, TimeoutDelay = TimeSpan.FromSeconds(4) });
        return new SimulatedX(simulator, await simulator.StartAsync());
    }

    public override string AddComment(string text) => Simulator.AddReply(_conversation, _visitor.Id, text);

    /// <summary>A local paper's post; the school replied under it and the visitor answered the school there.</summary>
    public override string? AddCommentTheSchoolCannotHide(string text)
    {
        var news = Simulator.AddAccount("TownNews", "Town News");
        var schoolReply = Simulator.AddReply(Simulator.AddPost(news.Id, "Sports day at Oakfield"), _school.Id, "Thank you for coming!");
        return Simulator.AddReply(schoolReply, _visitor.Id, text);
    }

    public override string AddReply(string parentCommentId, string text) => Simulator.AddReply(parentCommentId, _neighbour.Id, text);

    public override void FailNextUnhide() => Simulator.FailNext(1, XSimulatedFault.ServiceUnavailable, XSimulatorEndpoints.Hide);

    public override bool IsHidden(string commentId) => Simulator.Post(commentId).IsHidden;

    public override int HideCalls(string commentId) => Simulator.Post(commentId).HideCalls;

    /// <summary>
    /// Searches: 429 with <c>x-rate-limit-reset</c>, 429 <c>usage-capped</c>, 500, 503 from the load balancer, a timeout,
    /// truncated JSON; hides: 429 (hiding has its own small window), 503, a timeout.
    /// </summary>
    public override string InjectFaults()
    {
        Simulator.FailNext(2, XSimulatedFault.TooManyRequests);
        Simulator.FailNext(1, XSimulatedFault.UsageCapped);
        Simulator.FailNext(1, XSimulatedFault.InternalServerError);
        Simulator.FailNext(1, XSimulatedFault.ServiceUnavailable);
        Simulator.FailNext(1, XSimulatedFault.Timeout);
        Simulator.FailNext(1, XSimulatedFault.MalformedJson);
        Simulator.FailNext(1, XSimulatedFault.TooManyRequests, XSimulatorEndpoints.Hide);
        Simulator.FailNext(1, XSimulatedFault.ServiceUnavailable, XSimulatorEndpoints.Hide);
        Simulator.FailNext(1, XSimulatedFault.Timeout, XSimulatorEndpoints.Hide);
        return $"searches: 2×429 (reset {Window.TotalSeconds:F0} s ahead), 429 usage-capped, 500, 503 HTML, timeout, truncated JSON; hides: 429 (the 50-per-window hide limit), 503, timeout";
    }

    /// <summary>The school revoked the app: access and refresh tokens stop working.</summary>
    public override void LoseAccess() => Simulator.RevokeAccess(_school.Id);

    public override ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
