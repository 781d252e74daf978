using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>
/// The school's YouTube channel with one video. YouTube has no "hide": the worker sets the comment's moderation status
/// to <c>heldForReview</c> (hide) or <c>rejected</c> (delete), which takes it out of public view.
/// </summary>
internal sealed class SimulatedYouTube : SimulatedPlatform
{
    private readonly Uri _baseAddress;
    private readonly SimulatedChannel _channel;
    private readonly string _videoId;
    private readonly YouTubeCredentials _credentials;

    private SimulatedYouTube(YouTubeSimulator simulator, Uri baseAddress)
    {
        Simulator = simulator;
        _baseAddress = baseAddress;
        _channel = simulator.AddChannel("Oakfield Primary School");
        _videoId = simulator.AddVideo(_channel.Id, "Sports Day Highlights");
        Secret = simulator.CredentialsFor(_channel.Id);
        _credentials = YouTubeDataClient.ReadCredentials(new PageAccess(_channel.Id, Secret));
    }

    public YouTubeSimulator Simulator { get; }

    public override Platform Platform => Platform.YouTube;

    public override string ExternalId => _channel.Id;

    public override string PageName => _channel.Name;

    public override string Secret { get; }

    /// <summary>The issued tokens, the OAuth client secret and the prefixes of every token the simulator issues.</summary>
    public override IReadOnlyList<string> SecretsNeverLogged => [_credentials.AccessToken, _credentials.RefreshToken, Simulator.ClientSecret, "ya29.", "1//sim"];

    public override IReadOnlyDictionary<string, string> WorkerSettings => new Dictionary<string, string>
    {
        ["YouTube__BaseAddress"] = _baseAddress.ToString(),
        ["YouTube__TokenEndpoint"] = Simulator.TokenEndpoint!.ToString(),
        ["YouTube__ClientId"] = Simulator.ClientId,
        ["YouTube__ClientSecret"] = Simulator.ClientSecret,
        ["YouTube__RequestTimeout"] = "00:00:02",
        // A poll of the quiet test channel costs one unit: a poll a second fits the simulated project's quota.
        ["PollingBudget__YouTubeUnitsPerPoll"] = "0.01",
    };

    public override int TotalHideRequests => Simulator.Calls(YouTubeSimulatorEndpoints.SetModerationStatus);

    public override int PendingFaults => Simulator.PendingFaults;

    public static async Task<SimulatedYouTube> StartAsync()
    {
        var simulator = new YouTubeSimulator(options: new YouTubeSimulatorOptions { TimeoutDelay = TimeSpan.FromSeconds(4) });
        return new SimulatedYouTube(simulator, await simulator.StartAsync());
    }

    public override string AddComment(string text) => Simulator.AddComment(_videoId, text, "Philippa " + AuthorSentinel);

    public override string AddReply(string parentCommentId, string text) => Simulator.AddComment(_videoId, text, "Kit Bramblewood", parentCommentId);

    public override void FailNextUnhide() => Simulator.FailNext(1, SimulatedYouTubeFault.ServiceUnavailable, endpoint: YouTubeSimulatorEndpoints.SetModerationStatus);

    public override bool IsHidden(string commentId) =>
        Simulator.Comment(commentId).ModerationStatus is YouTubeModerationStatus.HeldForReview or YouTubeModerationStatus.Rejected;

    public override int HideCalls(string commentId)
    {
        var comment = Simulator.Comment(commentId);
        return comment.HeldForReviewCalls + comment.RejectedCalls;
    }

    /// <summary>
    /// Lists: 500 <c>backendError</c>, 503 from the front end, a timeout, truncated JSON, 400 <c>processingFailure</c>;
    /// setModerationStatus: 500, 503, a timeout, and a call that takes effect but answers too late.
    /// </summary>
    public override string InjectFaults()
    {
        Simulator.FailNext(1, SimulatedYouTubeFault.InternalServerError);
        Simulator.FailNext(1, SimulatedYouTubeFault.ServiceUnavailable);
        Simulator.FailNext(1, SimulatedYouTubeFault.Timeout);
        Simulator.FailNext(1, SimulatedYouTubeFault.MalformedJson);
        Simulator.FailNext(1, SimulatedYouTubeFault.ProcessingFailure);
        Simulator.FailNext(1, SimulatedYouTubeFault.InternalServerError);
        Simulator.FailNext(1, SimulatedYouTubeFault.InternalServerError, endpoint: YouTubeSimulatorEndpoints.SetModerationStatus);
        Simulator.FailNext(1, SimulatedYouTubeFault.ServiceUnavailable, endpoint: YouTubeSimulatorEndpoints.SetModerationStatus);
        Simulator.FailNext(1, SimulatedYouTubeFault.Timeout, endpoint: YouTubeSimulatorEndpoints.SetModerationStatus);
        Simulator.FailNext(1, SimulatedYouTubeFault.TimeoutAfterApplying, endpoint: YouTubeSimulatorEndpoints.SetModerationStatus);
        return "lists: 500 backendError ×2, 503 HTML, timeout, truncated JSON, 400 processingFailure; setModerationStatus: 500 backendError, 503, timeout, timeout after applying";
    }

    /// <summary>The channel owner removed the app's access: refresh gets <c>invalid_grant</c>, access tokens 401.</summary>
    public override void LoseAccess() => Simulator.RevokeAccess(_channel.Id);

    /// <summary>The Google project's quota is spent (every call answers 403 <c>quotaExceeded</c>) or, with 0, renewed.</summary>
    public void SetQuotaSpent(int units) => Simulator.SetQuotaSpent(units);

    public override ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
