using Moderator.Core;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>An Instagram professional account with one media on the Instagram Graph simulator; hidden = <c>hide=true</c>.</summary>
internal sealed class SimulatedInstagram : SimulatedPlatform
{
    public const string AccountToken = "e2e-instagram-token";

    private readonly Uri _baseAddress;
    private readonly SimulatedPage _account;
    private readonly string _mediaId;

    private SimulatedInstagram(InstagramSimulator simulator, Uri baseAddress)
    {
        Simulator = simulator;
        _baseAddress = baseAddress;
        _account = simulator.AddAccount("oakfieldprimary", accessToken: AccountToken);
        _mediaId = simulator.AddMedia(_account.Id, "Sports day photos are up!");
    }

    public InstagramSimulator Simulator { get; }

    public override Platform Platform => Platform.Instagram;

    public override string ExternalId => _account.Id;

    public override string PageName => _account.Name;

    public override string Secret => AccountToken;

    public override IReadOnlyList<string> SecretsNeverLogged => [AccountToken, "EAAsimig"];

    public override IReadOnlyDictionary<string, string> WorkerSettings => new Dictionary<string, string>
    {
        ["Instagram__BaseAddress"] = _baseAddress.ToString(),
        ["Instagram__RequestTimeout"] = "00:00:02",
        ["Instagram__RateLimitBackoff"] = "00:00:01",
        ["Instagram__MaxRateLimitBackoff"] = "00:00:02",
        ["Instagram__MaxSlowDownDelay"] = "00:00:00.500",
        ["Instagram__MaxInlineWait"] = "00:00:02",
        ["PollingBudget__InstagramCallsPerPoll"] = "1",
    };

    public override int TotalHideRequests => Simulator.Calls(InstagramSimulatorEndpoints.Hide);

    public override int PendingFaults => Simulator.PendingFaults;

    public override int ThrottledResponses => Simulator.ThrottledResponses;

    public static async Task<SimulatedInstagram> StartAsync()
    {
        var simulator = new InstagramSimulator(options: new FacebookSimulatorOptions { TimeoutDelay = TimeSpan.FromSeconds(4) });
        return new SimulatedInstagram(simulator, await simulator.StartAsync());
    }

    public override string AddComment(string text) => Simulator.AddComment(_mediaId, text, "philippa." + AuthorSentinel.ToLowerInvariant());

    public override string AddReply(string parentCommentId, string text) => Simulator.AddComment(_mediaId, text, "kit.bramblewood", parentCommentId);

    public override void FailNextUnhide() => Simulator.FailNext(1, SimulatedFault.ServiceUnavailable, endpoint: InstagramSimulatorEndpoints.Unhide);

    public override bool IsHidden(string commentId) => Simulator.Comment(commentId).IsHidden;

    public override int HideCalls(string commentId) => Simulator.Comment(commentId).HideCalls;

    /// <summary>
    /// Polls: HTTP 429, the Graph throttling codes an Instagram account meets (80002 is Instagram's BUC), 500, 503, a
    /// timeout, truncated JSON; hides: 80002, 503, a timeout, and a hide that takes effect but answers too late.
    /// </summary>
    public override string InjectFaults()
    {
        Simulator.FailNext(2, SimulatedFault.TooManyRequests);
        foreach (var code in new[] { 4, 17, 613, 80002 })
        {
            Simulator.FailNext(1, SimulatedFault.RateLimitCode, code);
        }

        Simulator.FailNext(1, SimulatedFault.InternalServerError);
        Simulator.FailNext(1, SimulatedFault.ServiceUnavailable);
        Simulator.FailNext(1, SimulatedFault.Timeout);
        Simulator.FailNext(1, SimulatedFault.MalformedJson);
        Simulator.FailNext(1, SimulatedFault.RateLimitCode, 80002, endpoint: InstagramSimulatorEndpoints.Hide);
        Simulator.FailNext(1, SimulatedFault.ServiceUnavailable, endpoint: InstagramSimulatorEndpoints.Hide);
        Simulator.FailNext(1, SimulatedFault.Timeout, endpoint: InstagramSimulatorEndpoints.Hide);
        Simulator.FailNext(1, SimulatedFault.TimeoutAfterApplying, endpoint: InstagramSimulatorEndpoints.Hide);
        return "polls: 2×429, Graph codes 4/17/613/80002, 500, 503, timeout, truncated JSON; hides: 80002, 503, timeout, timeout after applying";
    }

    /// <summary>Code 190 subcode 463: the token expired.</summary>
    public override void LoseAccess() => Simulator.ExpireToken(_account.Id);

    public override ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
