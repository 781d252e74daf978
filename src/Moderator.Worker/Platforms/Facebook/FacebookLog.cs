using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>The connector's log events: ids, codes and timings only, never comment text, names or tokens.</summary>
internal static partial class FacebookLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Facebook {Operation} for {ObjectId} failed: {Kind}, HTTP {HttpStatus}, code {ErrorCode}, subcode {ErrorSubcode}")]
    public static partial void CallFailed(ILogger logger, string operation, string objectId, PlatformErrorKind kind, int? httpStatus, int? errorCode, int? errorSubcode);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Facebook usage for page {PageId} at {Percent}%: waiting {Delay} before the next call")]
    public static partial void SlowingDown(ILogger logger, string pageId, TimeSpan delay, int percent);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Facebook calls for page {PageId} held back for {Delay} (rate limit)")]
    public static partial void CallHeldBack(ILogger logger, string pageId, TimeSpan delay);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Facebook rate limit for page {PageId} (code {ErrorCode}): backing off {Backoff}")]
    public static partial void RateLimited(ILogger logger, string pageId, int? errorCode, TimeSpan backoff);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Facebook comment {CommentId} of page {PageId}: {Action} done")]
    public static partial void ActionDone(ILogger logger, string commentId, string pageId, string action);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Debug, Message = "Facebook poll of page {PageId}: {PostCount} posts scanned, {CommentCount} comments since {Since}")]
    public static partial void Polled(ILogger logger, string pageId, int postCount, int commentCount, DateTimeOffset since);
}
