using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Worker.Platforms.YouTube;

namespace Moderator.Worker.Simulator;

/// <summary>
/// A local HTTP server that speaks the YouTube Data API v3 subset the connector uses (same paths and JSON:
/// <c>commentThreads</c> with embedded replies and <c>pageToken</c> paging, <c>comments?parentId</c>, <c>comments?id</c>,
/// <c>comments/setModerationStatus</c> answering 204, Google error bodies) and Google's OAuth token endpoint with refresh
/// (<c>invalid_grant</c> once revoked). It keeps a daily quota like Google's (1 unit per list page, 50 per moderation call,
/// 403 <c>quotaExceeded</c> when spent, reset at midnight Pacific time), knows which videos a channel owns (moderating a
/// comment on another channel's video is 403 <c>forbidden</c>), counts moderation calls per comment and can be told to
/// fail. Thread-safe; times come from the given <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class YouTubeSimulator : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly YouTubeSimulatorOptions _options;
    private readonly Dictionary<string, ChannelRecord> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VideoRecord> _videos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommentRecord> _comments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ChannelId, DateTimeOffset ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly SimulatorFaults<SimulatedYouTubeFault> _faults = new();
    private WebApplication? _app;
    private long _sequence;
    private DateOnly _quotaDay;
    private int _quotaSpent;

    public YouTubeSimulator(TimeProvider? clock = null, YouTubeSimulatorOptions? options = null)
    {
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new YouTubeSimulatorOptions();
    }

    /// <summary>The OAuth client id the token endpoint accepts (the moderator's Google Cloud project).</summary>
    public string ClientId { get; } = "sim-client-" + RandomId(8) + ".apps.googleusercontent.com";

    /// <summary>The OAuth client secret the token endpoint accepts.</summary>
    public string ClientSecret { get; } = "GOCSPX-sim" + RandomId(20);

    /// <summary>The Data API root (<c>…/youtube/v3/</c>) once started.</summary>
    public Uri? BaseAddress { get; private set; }

    /// <summary>The OAuth token endpoint (<c>…/token</c>) once started.</summary>
    public Uri? TokenEndpoint { get; private set; }

    /// <summary>Starts listening on 127.0.0.1 (port 0 = any free port) and returns the Data API root.</summary>
    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The simulator is already running.");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        BaseAddress = new Uri($"{address}/youtube/v3/");
        TokenEndpoint = new Uri($"{address}/token");
        return BaseAddress;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Units spent today (Pacific day) by requests that reached the Data API endpoints.</summary>
    public int QuotaSpentToday
    {
        get
        {
            lock (_lock)
            {
                RollQuotaDay();
                return _quotaSpent;
            }
        }
    }

    /// <summary>Adds a channel with an OAuth client and a refresh token for it.</summary>
    public SimulatedChannel AddChannel(string name, string? channelId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_lock)
        {
            var id = channelId ?? "UC" + RandomId(22);
            var channel = new ChannelRecord(id, name) { RefreshToken = "1//sim" + RandomId(40) };
            _channels.Add(id, channel);
            return channel.Snapshot();
        }
    }

    /// <summary>
    /// A video whose comment threads are related to the channel. <paramref name="ownedByChannel"/> false: a video on
    /// someone else's channel (for example a local news upload about the school) whose comments the channel cannot moderate.
    /// </summary>
    public string AddVideo(string channelId, string title, bool ownedByChannel = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        lock (_lock)
        {
            ChannelOf(channelId);
            var id = RandomId(11);
            _videos.Add(id, new VideoRecord(id, channelId, title, ownedByChannel));
            return id;
        }
    }

    /// <summary>
    /// Adds a comment (a reply when <paramref name="parentId"/> is given) published now by the simulator's clock, or at
    /// <paramref name="publishedAt"/>. Returns its id (a reply's id is <c>{parent}.{suffix}</c> as on YouTube).
    /// </summary>
    public string AddComment(string videoId, string text, string authorName = "Sam Viewer", string? parentId = null, DateTimeOffset? publishedAt = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            if (!_videos.ContainsKey(videoId))
            {
                throw new ArgumentException($"No video {videoId}.", nameof(videoId));
            }

            if (parentId is not null && (!_comments.TryGetValue(parentId, out var parent) || parent.ParentId is not null || parent.VideoId != videoId))
            {
                throw new ArgumentException($"No top-level comment {parentId} on video {videoId}.", nameof(parentId));
            }

            var id = parentId is null ? "Ugz" + RandomId(23) : $"{parentId}.{RandomId(22)}";
            var published = Truncate(publishedAt ?? _clock.GetUtcNow());
            _comments.Add(id, new CommentRecord(id, videoId, parentId, AuthorIdOf(authorName), authorName, text, published, ++_sequence));
            return id;
        }
    }

    public SimulatedYouTubeComment Comment(string commentId)
    {
        lock (_lock)
        {
            return _comments.TryGetValue(commentId, out var comment)
                ? comment.Snapshot()
                : throw new ArgumentException($"No comment {commentId}.", nameof(commentId));
        }
    }

    /// <summary>All comments on the channel's related videos, oldest first.</summary>
    public IReadOnlyList<SimulatedYouTubeComment> Comments(string channelId)
    {
        lock (_lock)
        {
            return [.. _comments.Values.Where(c => _videos[c.VideoId].ChannelId == channelId).OrderBy(c => c.Sequence).Select(c => c.Snapshot())];
        }
    }

    /// <summary>Requests that reached one endpoint (see <see cref="YouTubeSimulatorEndpoints"/>), faulted ones included.</summary>
    public int Calls(string endpoint)
    {
        lock (_lock)
        {
            return _faults.Calls(endpoint);
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> Data API requests with <paramref name="fault"/>, after <paramref name="afterRequests"/>
    /// normal ones; with an <paramref name="endpoint"/> (see <see cref="YouTubeSimulatorEndpoints"/>) only requests to it count.
    /// </summary>
    public void FailNext(int count, SimulatedYouTubeFault fault, int afterRequests = 0, string? endpoint = null)
    {
        lock (_lock)
        {
            _faults.Add(count, fault, afterRequests: afterRequests, endpoint: endpoint);
        }
    }

    /// <summary>Faults queued by <see cref="FailNext"/> that have not fired yet.</summary>
    public int PendingFaults
    {
        get
        {
            lock (_lock)
            {
                return _faults.Pending;
            }
        }
    }

    /// <summary>The channel's owner removed the app's access: the refresh token gets <c>invalid_grant</c>, access tokens 401.</summary>
    public void RevokeAccess(string channelId)
    {
        lock (_lock)
        {
            ChannelOf(channelId).Revoked = true;
            foreach (var token in _accessTokens.Where(t => t.Value.ChannelId == channelId).Select(t => t.Key).ToList())
            {
                _accessTokens.Remove(token);
            }
        }
    }

    /// <summary>Every access token of the channel stops working now (as at expiry); the refresh token still works.</summary>
    public void ExpireAccessTokens(string channelId)
    {
        lock (_lock)
        {
            foreach (var token in _accessTokens.Where(t => t.Value.ChannelId == channelId).Select(t => t.Key).ToList())
            {
                _accessTokens.Remove(token);
            }
        }
    }

    /// <summary>Issues an access token for the channel directly (as the admin's connect flow would get it) and returns it with its expiry.</summary>
    public (string AccessToken, DateTimeOffset ExpiresAt) IssueAccessToken(string channelId)
    {
        lock (_lock)
        {
            ChannelOf(channelId);
            return Issue(channelId);
        }
    }

    /// <summary>The secret JSON the connector expects for the channel, with a fresh access token.</summary>
    public string CredentialsFor(string channelId)
    {
        var (token, expiresAt) = IssueAccessToken(channelId);
        SimulatedChannel channel;
        lock (_lock)
        {
            channel = ChannelOf(channelId).Snapshot();
        }

        return YouTubeDataClient.WriteCredentials(new YouTubeCredentials(token, channel.RefreshToken, expiresAt, channelId));
    }

    /// <summary>Sets how many units have been spent today (for example to bring the simulator near its quota).</summary>
    public void SetQuotaSpent(int units)
    {
        lock (_lock)
        {
            RollQuotaDay();
            _quotaSpent = units;
        }
    }

    private (string, DateTimeOffset) Issue(string channelId)
    {
        var token = "ya29.sim" + RandomId(40);
        var expiresAt = _clock.GetUtcNow() + _options.AccessTokenLifetime;
        _accessTokens[token] = (channelId, expiresAt);
        return (token, expiresAt);
    }

    private ChannelRecord ChannelOf(string channelId) =>
        _channels.TryGetValue(channelId, out var channel) ? channel : throw new ArgumentException($"No channel {channelId}.", nameof(channelId));

    private void RollQuotaDay()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), YouTubeQuota.Pacific).DateTime);
        if (today != _quotaDay)
        {
            _quotaDay = today;
            _quotaSpent = 0;
        }
    }


    private static string RandomId(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return string.Create(length, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
            }
        });
    }

    private static string AuthorIdOf(string authorName) =>
        "UC" + ((uint)StringComparer.Ordinal.GetHashCode(authorName)).ToString("x8", CultureInfo.InvariantCulture).PadLeft(22, 'a');

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    private sealed class ChannelRecord(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public required string RefreshToken { get; init; }

        public bool Revoked { get; set; }

        public SimulatedChannel Snapshot() => new(Id, Name, RefreshToken);
    }

    private sealed record VideoRecord(string Id, string ChannelId, string Title, bool OwnedByChannel);

    private sealed record CommentRecord(
        string Id,
        string VideoId,
        string? ParentId,
        string AuthorChannelId,
        string AuthorName,
        string Text,
        DateTimeOffset PublishedAt,
        long Sequence)
    {
        public string ModerationStatus { get; set; } = YouTubeModerationStatus.Published;

        public int HeldForReviewCalls { get; set; }

        public int PublishedCalls { get; set; }

        public int RejectedCalls { get; set; }

        public SimulatedYouTubeComment Snapshot() => new(
            Id, VideoId, ParentId, AuthorChannelId, AuthorName, Text, PublishedAt, ModerationStatus, HeldForReviewCalls, PublishedCalls, RejectedCalls);
    }
}
