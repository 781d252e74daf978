using System.Collections.Concurrent;

namespace Moderator.Worker.Platforms.X;

/// <summary>
/// The newest credentials this process holds per X account, and one refresh at a time per account. X rotates refresh
/// tokens, so two calls refreshing with the same refresh token would see the second refused; the lock and the cache
/// make the second call use the first one's result instead. Across worker processes the same is done by
/// <see cref="Core.Platforms.PageAccess.HoldCredentialsAsync"/> (a PostgreSQL advisory lock and the stored secret).
/// </summary>
public sealed class XTokenCache
{
    private readonly ConcurrentDictionary<string, XCredentials> _newest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary><paramref name="stored"/>, unless this process already refreshed past it (a later expiry).</summary>
    public XCredentials Newest(string account, XCredentials stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return _newest.TryGetValue(account, out var known) && known.ExpiresAt > stored.ExpiresAt ? known : stored;
    }

    public void Remember(string account, XCredentials credentials) =>
        _newest.AddOrUpdate(account, credentials, (_, known) => credentials.ExpiresAt >= known.ExpiresAt ? credentials : known);

    public async Task<IDisposable> LockAsync(string account, CancellationToken cancellationToken)
    {
        var semaphore = _locks.GetOrAdd(account, static _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken);
        return new Releaser(semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
