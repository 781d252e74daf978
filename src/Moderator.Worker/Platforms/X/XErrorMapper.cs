using System.Net;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.X;

/// <summary>Turns a failed X response (status and problem document) into the error kind the caller acts on.</summary>
public static class XErrorMapper
{
    public const string UsageCapped = "usage-capped";
    public const string RateLimitExceeded = "rate-limit-exceeded";
    public const string ResourceNotFound = "resource-not-found";
    public const string NotAuthorizedForResource = "not-authorized-for-resource";
    public const string ClientForbidden = "client-forbidden";
    public const string UnsupportedAuthentication = "unsupported-authentication";
    public const string InvalidRequest = "invalid-request";

    /// <summary>
    /// <paramref name="isModeration"/>: the call was a hide/unhide. X refuses those with 403 for a reply in a
    /// conversation the account did not start, which is <see cref="PlatformErrorKind.CannotHide"/> — unless the problem
    /// says the app or token itself is not allowed (client-forbidden, unsupported-authentication, a missing scope).
    /// </summary>
    public static PlatformErrorKind Classify(HttpStatusCode status, XProblem? problem, bool isModeration)
    {
        switch (problem?.Kind)
        {
            case UsageCapped or RateLimitExceeded:
                return PlatformErrorKind.RateLimited;
            case ClientForbidden or UnsupportedAuthentication:
                return PlatformErrorKind.AuthorizationFailed;
            case ResourceNotFound:
                return PlatformErrorKind.NotFound;
            case NotAuthorizedForResource:
                return isModeration ? PlatformErrorKind.CannotHide : PlatformErrorKind.NotFound;
            case InvalidRequest:
                return PlatformErrorKind.BadRequest;
        }

        return status switch
        {
            HttpStatusCode.TooManyRequests => PlatformErrorKind.RateLimited,
            >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout => PlatformErrorKind.Transient,
            HttpStatusCode.Unauthorized => PlatformErrorKind.AuthorizationFailed,
            HttpStatusCode.Forbidden when isModeration && !MentionsScope(problem) => PlatformErrorKind.CannotHide,
            HttpStatusCode.Forbidden => PlatformErrorKind.AuthorizationFailed,
            HttpStatusCode.NotFound or HttpStatusCode.Gone => PlatformErrorKind.NotFound,
            _ => PlatformErrorKind.BadRequest,
        };
    }

    private static bool MentionsScope(XProblem? problem) =>
        problem?.Detail is { } detail && detail.Contains("scope", StringComparison.OrdinalIgnoreCase);
}
