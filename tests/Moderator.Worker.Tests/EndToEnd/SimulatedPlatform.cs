using System.Globalization;
using Moderator.Core;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>
/// One platform's simulator as the process-level tests drive it: a school's page (Facebook page, Instagram account, X
/// account, YouTube channel) with one post (post, media, conversation, video) that visitors comment on, what "hidden"
/// means there, the platform's own faults, losing access, and the settings that point a `moderator run` process at it.
/// One test body then runs against every platform.
/// </summary>
internal abstract class SimulatedPlatform : IAsyncDisposable
{
    /// <summary>Part of every sentinel author's name or username: it must reach no log line.</summary>
    public const string AuthorSentinel = "Sentinelworth";

    public abstract Platform Platform { get; }

    /// <summary>The page's id on the platform (pages.external_id).</summary>
    public abstract string ExternalId { get; }

    public abstract string PageName { get; }

    /// <summary>The credentials as the pages table stores them (encrypted by the harness).</summary>
    public abstract string Secret { get; }

    /// <summary>Tokens, secrets and token prefixes that must never appear in a log line.</summary>
    public abstract IReadOnlyList<string> SecretsNeverLogged { get; }

    /// <summary>Settings of the worker process for this platform (environment variable names).</summary>
    public abstract IReadOnlyDictionary<string, string> WorkerSettings { get; }

    /// <summary>A visitor (named after <see cref="AuthorSentinel"/>) comments on the school's post; returns the comment's id.</summary>
    public abstract string AddComment(string text);

    /// <summary>
    /// Another visitor answers a top-level comment: a reply (Facebook, Instagram, YouTube) or, on X, a reply to the
    /// visitor's reply deeper in the school's conversation (not addressed to the school).
    /// </summary>
    public abstract string AddReply(string parentCommentId, string text);

    /// <summary>
    /// A comment the worker reads but the platform will not let the school hide (X: a reply to the school in a
    /// conversation someone else started); null where every comment the worker reads can be hidden.
    /// </summary>
    public virtual string? AddCommentTheSchoolCannotHide(string text) => null;

    /// <summary>The next request that would show a comment again (unhide; on YouTube set it published) fails with a 503.</summary>
    public abstract void FailNextUnhide();

    /// <summary>Whether the platform now keeps the comment from public view (hidden, held for review or rejected).</summary>
    public abstract bool IsHidden(string commentId);

    /// <summary>Calls that asked the platform to hide this comment.</summary>
    public abstract int HideCalls(string commentId);

    /// <summary>
    /// Whether a retried hide (its first attempt's worker died, or the answer never came) is sent again rather than
    /// checked first: true where the platform cannot report whether a comment is hidden (X).
    /// </summary>
    public virtual bool RetriedHideIsSentAgain => false;

    /// <summary>Hide requests that reached the platform (faulted ones included).</summary>
    public abstract int TotalHideRequests { get; }

    /// <summary>
    /// Queues the platform's own transient failures: first for the next requests (the polls), then for hide requests;
    /// returns what was queued, for the test output.
    /// </summary>
    public abstract string InjectFaults();

    /// <summary>Injected faults that have not fired yet.</summary>
    public abstract int PendingFaults { get; }

    /// <summary>Failure answers the platform gave because of a limit (not counting injected faults).</summary>
    public virtual int ThrottledResponses => 0;

    /// <summary>The school's access ends: the token expires (Meta) or the owner revokes the app (X, Google).</summary>
    public abstract void LoseAccess();

    public abstract ValueTask DisposeAsync();

    public static async Task<SimulatedPlatform> StartAsync(Platform platform) => platform switch
    {
        Platform.Facebook => await SimulatedFacebook.StartAsync(),
        Platform.Instagram => await SimulatedInstagram.StartAsync(),
        Platform.X => await SimulatedX.StartAsync(),
        Platform.YouTube => await SimulatedYouTube.StartAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "No simulator."),
    };

    protected static string Span(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
