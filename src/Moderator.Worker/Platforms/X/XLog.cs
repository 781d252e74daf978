using Microsoft.Extensions.Logging;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.X;

/// <summary>The X connector's log events: ids, codes and timings only, never post text, usernames or tokens.</summary>
internal static partial class XLog
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "X {Operation} for {ObjectId} failed: {Kind}, HTTP {HttpStatus}, problem {Problem}")]
    public static partial void CallFailed(ILogger logger, string operation, string objectId, PlatformErrorKind kind, int? httpStatus, string? problem);

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "X {Endpoint} for account {AccountId}: {Remaining} requests left, waiting {Delay} for the window to reset")]
    public static partial void WaitingForReset(ILogger logger, string endpoint, string accountId, int remaining, TimeSpan delay);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "X {Endpoint} for account {AccountId} held back for {Delay} (rate limit)")]
    public static partial void CallHeldBack(ILogger logger, string endpoint, string accountId, TimeSpan delay);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "X rate limit for {Endpoint} of account {AccountId} (problem {Problem}): stopping for {Backoff}")]
    public static partial void RateLimited(ILogger logger, string endpoint, string accountId, string? problem, TimeSpan backoff);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information, Message = "X reply {PostId} of account {AccountId}: {Action} done")]
    public static partial void ActionDone(ILogger logger, string postId, string accountId, string action);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Debug, Message = "X poll of account {AccountId}: {Pages} page(s), {PostReads} post read(s), {Replies} new replies, more waiting {MoreWaiting}")]
    public static partial void Polled(ILogger logger, string accountId, int pages, int postReads, int replies, bool moreWaiting);

    [LoggerMessage(EventId = 5306, Level = LogLevel.Information, Message = "X access token of account {AccountId} refreshed; valid until {ExpiresAt}")]
    public static partial void TokenRefreshed(ILogger logger, string accountId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 5307, Level = LogLevel.Warning, Message = "X refused to refresh the token of account {AccountId}: HTTP {HttpStatus}, error {Error}")]
    public static partial void RefreshRefused(ILogger logger, string accountId, int httpStatus, string? error);

    [LoggerMessage(EventId = 5308, Level = LogLevel.Warning, Message = "X search for account {AccountId} returned {Count} partial error(s), first {Problem} on {ResourceType} {ResourceId}")]
    public static partial void PartialErrors(ILogger logger, string accountId, int count, string? problem, string? resourceType, string? resourceId);

    [LoggerMessage(EventId = 5309, Level = LogLevel.Warning, Message = "X monthly post-read cap reached ({Used} of {Cap}); polls wait until {Until}")]
    public static partial void MonthlyCapReached(ILogger logger, long used, long cap, DateTimeOffset until);
}
