using Microsoft.Extensions.Logging;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>The connector's own log events (call failures and rate limits are <see cref="GraphLog"/>): ids only, never text, names or tokens.</summary>
internal static partial class FacebookLog
{
    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Facebook comment {CommentId} of page {PageId}: {Action} done")]
    public static partial void ActionDone(ILogger logger, string commentId, string pageId, string action);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Debug, Message = "Facebook poll of page {PageId}: {PostCount} posts scanned, {CommentCount} comments since {Since}")]
    public static partial void Polled(ILogger logger, string pageId, int postCount, int commentCount, DateTimeOffset since);
}
