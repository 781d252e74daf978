using System.Net;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>Turns a failed Graph response (status and parsed error body) into the error kind the caller acts on.</summary>
public static class GraphErrorMapper
{
    /// <summary>4 app, 17 user, 32 Page, 341 app, 368 temporarily blocked, 613 custom, 80001 Pages BUC, 80002 Instagram BUC.</summary>
    public static bool IsRateLimitCode(int code) => code is 4 or 17 or 32 or 341 or 368 or 613 or 80001 or 80002;

    /// <summary>190 bad or expired token, 102 session, 10 and 200–299 missing permission.</summary>
    public static bool IsAuthorizationCode(int code) => code is 190 or 102 or 10 or (>= 200 and <= 299);

    public static PlatformErrorKind Classify(HttpStatusCode status, GraphError? error)
    {
        if (error?.Code is { } code)
        {
            if (IsRateLimitCode(code))
            {
                return PlatformErrorKind.RateLimited;
            }

            if (IsAuthorizationCode(code))
            {
                return PlatformErrorKind.AuthorizationFailed;
            }

            if (code is 1 or 2 || error.IsTransient == true)
            {
                return PlatformErrorKind.Transient;
            }

            // 100/33: "Object with ID ... does not exist, cannot be loaded due to missing permissions, or does not support this operation".
            if (code == 100 && error.ErrorSubcode == 33)
            {
                return PlatformErrorKind.NotFound;
            }
        }

        return status switch
        {
            HttpStatusCode.TooManyRequests => PlatformErrorKind.RateLimited,
            >= HttpStatusCode.InternalServerError => PlatformErrorKind.Transient,
            HttpStatusCode.RequestTimeout => PlatformErrorKind.Transient,
            HttpStatusCode.NotFound or HttpStatusCode.Gone => PlatformErrorKind.NotFound,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => PlatformErrorKind.AuthorizationFailed,
            _ => PlatformErrorKind.BadRequest,
        };
    }
}
