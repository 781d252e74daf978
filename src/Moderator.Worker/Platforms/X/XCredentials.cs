using System.Text.Json;

namespace Moderator.Worker.Platforms.X;

/// <summary>
/// The secret stored (encrypted) for an X page: a user-context OAuth 2.0 access token, its refresh token, when the
/// access token expires, and the account it belongs to. <see cref="ToString"/> never shows the tokens.
/// </summary>
public sealed record XCredentials(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, string UserId, string Username)
{
    /// <summary>Reads the JSON document held in <c>PageAccess.AccessToken</c>; null when it is not one.</summary>
    public static XCredentials? TryParse(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        try
        {
            var credentials = JsonSerializer.Deserialize(secret, XJsonContext.Default.XCredentials);
            return credentials is { AccessToken.Length: > 0, RefreshToken.Length: > 0, UserId.Length: > 0, Username.Length: > 0 } ? credentials : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, XJsonContext.Default.XCredentials);

    /// <summary>True when the access token has expired or will within <paramref name="skew"/>.</summary>
    public bool ExpiresWithin(DateTimeOffset now, TimeSpan skew) => ExpiresAt - skew <= now;

    public override string ToString() => $"X credentials of user {UserId}, expiring {ExpiresAt:O}";
}
