namespace Moderator.Core.Platforms;

/// <summary>What went wrong on a platform call, as far as the caller's next move is concerned.</summary>
public enum PlatformErrorKind
{
    /// <summary>A rate limit was hit or is about to be: wait <see cref="PlatformException.RetryAfter"/> and try again.</summary>
    RateLimited = 1,

    /// <summary>A timeout, a dropped connection, a 5xx or an error the platform calls temporary: retry with backoff.</summary>
    Transient = 2,

    /// <summary>The token is expired, revoked or lacks a permission: the page needs reconnecting; retrying will not help.</summary>
    AuthorizationFailed = 3,

    /// <summary>The object is gone (deleted comment or post).</summary>
    NotFound = 4,

    /// <summary>The platform refused the request as invalid; retrying the same request will not help.</summary>
    BadRequest = 5,

    /// <summary>The platform answered with something this client cannot read.</summary>
    Malformed = 6,

    /// <summary>
    /// The platform will not let this account hide the comment (a YouTube comment on a video the channel does not own,
    /// an X reply in a conversation the account did not start). Retrying will not help: a person must act on the platform.
    /// </summary>
    CannotHide = 7,
}

/// <summary>
/// The one exception every connector throws for platform failures. The message carries ids and codes only (never
/// comment text or tokens), so it is safe to log.
/// </summary>
public sealed class PlatformException : Exception
{
    public PlatformException(
        Platform platform,
        PlatformErrorKind kind,
        string message,
        int? httpStatus = null,
        int? errorCode = null,
        int? errorSubcode = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Platform = platform;
        Kind = kind;
        HttpStatus = httpStatus;
        ErrorCode = errorCode;
        ErrorSubcode = errorSubcode;
        RetryAfter = retryAfter;
    }

    public Platform Platform { get; }

    public PlatformErrorKind Kind { get; }

    /// <summary>The HTTP status of the response, or null when no response arrived (timeout, connection failure).</summary>
    public int? HttpStatus { get; }

    /// <summary>The platform's own error code (Graph: <c>error.code</c>), when it sent one.</summary>
    public int? ErrorCode { get; }

    /// <summary>The platform's error subcode (Graph: <c>error.error_subcode</c>, e.g. 463 for an expired token).</summary>
    public int? ErrorSubcode { get; }

    /// <summary>For <see cref="PlatformErrorKind.RateLimited"/>: how long to wait before calling again, when known.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when the page's connection must be renewed by a person before any further call can succeed.</summary>
    public bool PageNeedsReconnect => Kind == PlatformErrorKind.AuthorizationFailed;

    /// <summary>True when the same call may succeed later without anyone doing anything.</summary>
    public bool IsRetryable => Kind is PlatformErrorKind.RateLimited or PlatformErrorKind.Transient or PlatformErrorKind.Malformed;
}
