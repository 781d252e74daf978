namespace Moderator.Core.Platforms;

/// <summary>
/// What a connector needs to act for one page: the platform's id of the page and its decrypted credentials. For
/// Facebook and Instagram <see cref="AccessToken"/> is the page token itself; platforms with expiring tokens (X,
/// YouTube) keep a JSON document there (access token, refresh token, expiry) that their connector reads, and when the
/// connector refreshes it, it calls <see cref="SaveRefreshedCredentialsAsync"/> so the new secret is encrypted and
/// stored for every node. Before refreshing, a connector holds <see cref="HoldCredentialsAsync"/>: one node at a time
/// refreshes a page, and the one that waited sees the tokens the other stored. The secret never appears in
/// <see cref="ToString"/>.
/// </summary>
public sealed class PageAccess
{
    private readonly Func<string, CancellationToken, Task>? _saveRefreshed;
    private readonly Func<CancellationToken, Task<CredentialsLease>>? _holdCredentials;

    public PageAccess(
        string pageExternalId,
        string accessToken,
        Func<string, CancellationToken, Task>? saveRefreshedCredentials = null,
        Func<CancellationToken, Task<CredentialsLease>>? holdCredentials = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pageExternalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        PageExternalId = pageExternalId;
        AccessToken = accessToken;
        _saveRefreshed = saveRefreshedCredentials;
        _holdCredentials = holdCredentials;
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

    /// <summary>
    /// Waits until no other node is refreshing this page's credentials and holds them until the lease is disposed; if the
    /// stored secret changed meanwhile (another node refreshed), <see cref="AccessToken"/> becomes the stored one.
    /// </summary>
    public async Task<CredentialsLease> HoldCredentialsAsync(CancellationToken cancellationToken)
    {
        if (_holdCredentials is null)
        {
            return CredentialsLease.Unshared(AccessToken);
        }

        var lease = await _holdCredentials(cancellationToken);
        if (!string.IsNullOrWhiteSpace(lease.StoredSecret) && lease.StoredSecret != AccessToken)
        {
            AccessToken = lease.StoredSecret;
        }

        return lease;
    }

    public override string ToString() => $"page {PageExternalId}";
}
