namespace Moderator.Core.Platforms;

/// <summary>
/// What a connector needs to act for one page: the platform's id of the page and its decrypted credentials. For
/// Facebook and Instagram <see cref="AccessToken"/> is the page token itself; platforms with expiring tokens (X,
/// YouTube) keep a JSON document there (access token, refresh token, expiry) that their connector reads, and when the
/// connector refreshes it, it calls <see cref="SaveRefreshedCredentialsAsync"/> so the new secret is encrypted and
/// stored for every node. The secret never appears in <see cref="ToString"/>.
/// </summary>
public sealed class PageAccess
{
    private readonly Func<string, CancellationToken, Task>? _saveRefreshed;

    public PageAccess(string pageExternalId, string accessToken, Func<string, CancellationToken, Task>? saveRefreshedCredentials = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pageExternalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        PageExternalId = pageExternalId;
        AccessToken = accessToken;
        _saveRefreshed = saveRefreshedCredentials;
    }

    public string PageExternalId { get; }

    /// <summary>The decrypted secret: a token, or a platform-specific JSON document for refreshable credentials.</summary>
    public string AccessToken { get; private set; }

    /// <summary>Replaces the secret after a token refresh and persists it (encrypted) through the host.</summary>
    public async Task SaveRefreshedCredentialsAsync(string newSecret, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(newSecret);
        AccessToken = newSecret;
        if (_saveRefreshed is not null)
        {
            await _saveRefreshed(newSecret, cancellationToken);
        }
    }

    public override string ToString() => $"page {PageExternalId}";
}
