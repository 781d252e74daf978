using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Worker.Platforms.Facebook;

namespace Moderator.Worker.Platforms.Instagram;

/// <summary>
/// The Instagram budget (business use case <c>instagram</c>, error 80002): a <see cref="GraphRateGate"/> of its own,
/// separate from the Facebook Pages one, configured from <see cref="InstagramOptions"/>. One per process.
/// </summary>
public sealed class InstagramRateGate(TimeProvider clock, IOptions<InstagramOptions> options, ILogger<InstagramRateGate> logger)
{
    public GraphRateGate Graph { get; } = new(Platform.Instagram, options.Value.RateLimits(), clock, logger);
}
