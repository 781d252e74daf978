namespace Moderator.Core.Platforms;

/// <summary>
/// Held while a connector refreshes a page's token: no other worker node refreshes the same page until it is disposed.
/// <see cref="StoredSecret"/> is the secret stored when the lease was taken (decrypted), so a node that waited can see
/// that another one already refreshed and use its tokens instead of spending a rotated refresh token a second time.
/// </summary>
public sealed class CredentialsLease : IAsyncDisposable
{
    private readonly Func<ValueTask>? _release;
    private int _released;

    public CredentialsLease(string? storedSecret, Func<ValueTask>? release)
    {
        StoredSecret = storedSecret;
        _release = release;
    }

    /// <summary>A lease for a page with no shared store (tests, tools): nothing to wait for, nothing newer to read.</summary>
    public static CredentialsLease Unshared(string secret) => new(secret, null);

    public string? StoredSecret { get; }

    public ValueTask DisposeAsync() =>
        _release is not null && Interlocked.Exchange(ref _released, 1) == 0 ? _release() : ValueTask.CompletedTask;
}
