using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>Log events of the shared Graph transport and rate gate (Facebook and Instagram): ids, codes and timings only.</summary>
internal static partial class GraphLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "{Platform} {Operation} for {ObjectId} failed: {Kind}, HTTP {HttpStatus}, code {ErrorCode}, subcode {ErrorSubcode}")]
    public static partial void CallFailed(ILogger logger, Platform platform, string operation, string objectId, PlatformErrorKind kind, int? httpStatus, int? errorCode, int? errorSubcode);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "{Platform} usage for page {PageId} at {Percent}%: waiting {Delay} before the next call")]
    public static partial void SlowingDown(ILogger logger, Platform platform, string pageId, TimeSpan delay, int percent);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "{Platform} calls for page {PageId} held back for {Delay} (rate limit)")]
    public static partial void CallHeldBack(ILogger logger, Platform platform, string pageId, TimeSpan delay);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "{Platform} rate limit for page {PageId} (code {ErrorCode}): backing off {Backoff}")]
    public static partial void RateLimited(ILogger logger, Platform platform, string pageId, int? errorCode, TimeSpan backoff);
}
