using Microsoft.Extensions.Logging;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>The connector's log events: ids, reasons, units and timings only, never comment text, names or tokens.</summary>
internal static partial class YouTubeLog
{
    [LoggerMessage(EventId = 5400, Level = LogLevel.Warning, Message = "YouTube {Operation} for {ObjectId} failed: {Kind}, HTTP {HttpStatus}, reason {Reason}")]
    public static partial void CallFailed(ILogger logger, string operation, string objectId, PlatformErrorKind kind, int? httpStatus, string? reason);

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "YouTube access token of channel {ChannelId} refreshed; valid until {ExpiresAt}")]
    public static partial void TokenRefreshed(ILogger logger, string channelId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Warning, Message = "YouTube refresh token of channel {ChannelId} refused ({Error}): the channel must be reconnected")]
    public static partial void RefreshRefused(ILogger logger, string channelId, string error);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Warning, Message = "YouTube quota exhausted (reason {Reason}); calls resume after {ResetAt}")]
    public static partial void QuotaExhausted(ILogger logger, string? reason, DateTimeOffset resetAt);

    [LoggerMessage(EventId = 5408, Level = LogLevel.Error, Message = "YouTube quota exhausted but the shared quota ledger could not record it; other nodes may call until their own refusal")]
    public static partial void QuotaNotRecorded(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Information, Message = "YouTube comment {CommentId} of channel {ChannelId}: moderation status set to {Status}")]
    public static partial void ModerationDone(ILogger logger, string commentId, string channelId, string status);

    [LoggerMessage(EventId = 5405, Level = LogLevel.Debug, Message = "YouTube poll of channel {ChannelId}: {Pages} thread pages, {ReplyReads} reply reads, {CommentCount} new comments since {Since}")]
    public static partial void Polled(ILogger logger, string channelId, int pages, int replyReads, int commentCount, DateTimeOffset since);

    [LoggerMessage(EventId = 5407, Level = LogLevel.Warning, Message = "YouTube poll of channel {ChannelId} stopped at {Pages} thread pages before reaching comments older than {Since}: older new comments in between are not read")]
    public static partial void PageCapReached(ILogger logger, string channelId, int pages, DateTimeOffset since);

    [LoggerMessage(EventId = 5406, Level = LogLevel.Warning, Message = "YouTube comment {CommentId} of channel {ChannelId} cannot be moderated by the channel (not its video): act on the platform")]
    public static partial void CannotModerate(ILogger logger, string commentId, string channelId);
}
