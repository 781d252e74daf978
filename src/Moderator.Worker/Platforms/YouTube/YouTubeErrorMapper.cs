using System.Net;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>Turns a failed Data API response (status and the first error reason) into the error kind the caller acts on.</summary>
public static class YouTubeErrorMapper
{
    /// <summary>Reasons that mean the project's daily quota is gone until midnight Pacific time.</summary>
    public static bool IsQuotaReason(string? reason) => reason is "quotaExceeded" or "dailyLimitExceeded";

    /// <summary>
    /// <paramref name="moderating"/>: the call was <c>setModerationStatus</c>, where <c>forbidden</c> means the comment is on
    /// a video the channel does not own, so it cannot be hidden from here (for a read it means missing permission).
    /// </summary>
    public static PlatformErrorKind Classify(HttpStatusCode status, string? reason, bool moderating)
    {
        switch (reason)
        {
            case "quotaExceeded" or "dailyLimitExceeded" or "rateLimitExceeded" or "userRateLimitExceeded":
                return PlatformErrorKind.RateLimited;
            case "forbidden" when moderating:
                return PlatformErrorKind.CannotHide;
            case "forbidden" or "insufficientPermissions" or "authError":
                return PlatformErrorKind.AuthorizationFailed;
            case "commentNotFound" or "commentsDisabled" or "videoNotFound" or "channelNotFound" or "commentThreadNotFound" or "parentCommentNotFound":
                return PlatformErrorKind.NotFound;
            case "processingFailure" or "backendError" or "internalError":
                return PlatformErrorKind.Transient;
            default:
                break;
        }

        return status switch
        {
            HttpStatusCode.Unauthorized => PlatformErrorKind.AuthorizationFailed,
            HttpStatusCode.TooManyRequests => PlatformErrorKind.RateLimited,
            HttpStatusCode.RequestTimeout or >= HttpStatusCode.InternalServerError => PlatformErrorKind.Transient,
            HttpStatusCode.NotFound or HttpStatusCode.Gone => PlatformErrorKind.NotFound,
            HttpStatusCode.Forbidden => moderating ? PlatformErrorKind.CannotHide : PlatformErrorKind.AuthorizationFailed,
            _ => PlatformErrorKind.BadRequest,
        };
    }
}
