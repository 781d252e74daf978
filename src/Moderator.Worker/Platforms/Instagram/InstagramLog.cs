using Microsoft.Extensions.Logging;

namespace Moderator.Worker.Platforms.Instagram;

/// <summary>The Instagram connector's own events (call failures and rate limits are the shared Graph events): ids and counts only.</summary>
internal static partial class InstagramLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Instagram comment {CommentId} of account {AccountId}: {Action} done")]
    public static partial void ActionDone(ILogger logger, string commentId, string accountId, string action);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Debug, Message = "Instagram poll of account {AccountId}: {MediaCount} media listed, {ScannedCount} scanned, {CommentCount} new comments (full scan {FullScan})")]
    public static partial void Polled(ILogger logger, string accountId, int mediaCount, int scannedCount, int commentCount, bool fullScan);
}
