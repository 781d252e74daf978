using Moderator.Core;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>A Facebook page with one post on the Graph simulator; hidden = <c>is_hidden</c>.</summary>
internal sealed class SimulatedFacebook : SimulatedPlatform
{
    public const string PageToken = "e2e-page-token";

    private readonly Uri _baseAddress;

    private SimulatedFacebook(FacebookSimulator simulator, Uri baseAddress)
    {
        Simulator = simulator;
        _baseAddress = baseAddress;
        Page = simulator.AddPage("Oakfield Primary School", accessToken: PageToken);
        PostId = simulator.AddPost(Page.Id, "Sports day photos are up!");
    }

    public FacebookSimulator Simulator { get; }

    public SimulatedPage Page { get; }

    public string PostId { get; }

    public override Platform Platform => Platform.Facebook;

    public override string ExternalId => Page.Id;

    public override string PageName => Page.Name;

    public override string Secret => PageToken;

    public override IReadOnlyList<string> SecretsNeverLogged => [PageToken, "EAAsim"];

    public override IReadOnlyDictionary<string, string> WorkerSettings => new Dictionary<string, string>
    {
        ["Facebook__BaseAddress"] = _baseAddress.ToString(),
        ["Facebook__RequestTimeout"] = "00:00:02",
        ["Facebook__RateLimitBackoff"] = "00:00:01",
        ["Facebook__MaxRateLimitBackoff"] = "00:00:02",
        ["Facebook__MaxSlowDownDelay"] = "00:00:00.500",
        ["Facebook__MaxInlineWait"] = "00:00:02",
        // The simulator has no budget to protect: let the planner allow one poll a second.
        ["PollingBudget__FacebookCallsPerPoll"] = "1",
    };

    public override int TotalHideRequests => Simulator.Calls(SimulatorEndpoints.Hide);

    public override int PendingFaults => Simulator.PendingFaults;

    public override int ThrottledResponses => Simulator.ThrottledResponses;

    public static async Task<SimulatedFacebook> StartAsync()
    {
        var simulator = new FacebookSimulator(options: new FacebookSimulatorOptions { TimeoutDelay = TimeSpan.FromSeconds(4) });
        return new SimulatedFacebook(simulator, await simulator.StartAsync());
    }

    public override string AddComment(string text) => Simulator.AddComment(PostId, text, "Philippa " + AuthorSentinel);

    public override string AddReply(string parentCommentId, string text) => Simulator.AddComment(PostId, text, "Kit Bramblewood", parentCommentId);

    public override void FailNextUnhide() => Simulator.FailNext(1, SimulatedFault.ServiceUnavailable, endpoint: SimulatorEndpoints.Unhide);

    public override bool IsHidden(string commentId) => Simulator.Comment(commentId).IsHidden;

    public override int HideCalls(string commentId) => Simulator.Comment(commentId).HideCalls;

    /// <summary>
    /// Polls: HTTP 429, every Graph throttling code a Page token can meet, 500, 503, a timeout and truncated JSON; hides:
    /// the Pages BUC limit, 500, a timeout, and a hide that takes effect but answers too late.
    /// </summary>
    public override string InjectFaults()
    {
        Simulator.FailNext(2, SimulatedFault.TooManyRequests);
        foreach (var code in new[] { 4, 17, 32, 613, 80001 })
        {
            Simulator.FailNext(1, SimulatedFault.RateLimitCode, code);
        }

        Simulator.FailNext(1, SimulatedFault.InternalServerError);
        Simulator.FailNext(1, SimulatedFault.ServiceUnavailable);
        Simulator.FailNext(1, SimulatedFault.Timeout);
        Simulator.FailNext(1, SimulatedFault.MalformedJson);
        Simulator.FailNext(1, SimulatedFault.RateLimitCode, 80001, endpoint: SimulatorEndpoints.Hide);
        Simulator.FailNext(1, SimulatedFault.InternalServerError, endpoint: SimulatorEndpoints.Hide);
        Simulator.FailNext(1, SimulatedFault.Timeout, endpoint: SimulatorEndpoints.Hide);
        Simulator.FailNext(1, SimulatedFault.TimeoutAfterApplying, endpoint: SimulatorEndpoints.Hide);
        return "polls: 2×429, Graph codes 4/17/32/613/80001, 500, 503, timeout, truncated JSON; hides: 80001, 500, timeout, timeout after applying";
    }

    /// <summary>Code 190 subcode 463: the Page token expired.</summary>
    public override void LoseAccess() => Simulator.ExpireToken(Page.Id);

    public override ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
