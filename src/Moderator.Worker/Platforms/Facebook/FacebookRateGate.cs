using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>
/// The Facebook Pages budget: a <see cref="GraphRateGate"/> configured from <see cref="FacebookOptions"/>. One instance
/// per process, shared by every call for every page (Instagram has its own gate: a separate business use case).
/// </summary>
public sealed class FacebookRateGate(TimeProvider clock, IOptions<FacebookOptions> options, ILogger<FacebookRateGate> logger)
{
    /// <summary>The shared Graph gate doing the work; the Graph transport talks to it directly.</summary>
    public GraphRateGate Graph { get; } = new(Platform.Facebook, options.Value.RateLimits(), clock, logger);

    /// <summary>The usage Facebook last reported for calls made with this page's token, if any.</summary>
    public GraphUsage? ObservedUsage(string pageId) => Graph.ObservedUsage(pageId);

    /// <summary>How long the next call for this page should wait: a backoff still running, or the slow-down for high usage.</summary>
    public TimeSpan RecommendedDelay(string pageId) => Graph.RecommendedDelay(pageId);

    /// <summary>Waits before a call as <see cref="RecommendedDelay"/> says, or throws RateLimited when the wait is too long to hold a call open.</summary>
    public Task WaitAsync(string pageId, CancellationToken cancellationToken) => Graph.WaitAsync(pageId, cancellationToken);

    /// <summary>Records the usage headers of a response. At 100% the page is blocked until Facebook says access returns.</summary>
    public void Observe(string pageId, GraphUsage? usage) => Graph.Observe(pageId, usage);

    /// <summary>Records a rate-limit error and returns how long to back off.</summary>
    public TimeSpan RecordRateLimited(string pageId, TimeSpan? hint) => Graph.RecordRateLimited(pageId, hint);

    /// <summary>A call went through: the rate-limit backoff starts again from its base.</summary>
    public void RecordSuccess(string pageId) => Graph.RecordSuccess(pageId);
}
