using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Core.Workflow;
using Moderator.Model;

namespace Moderator.Worker.Polling;

/// <summary>
/// Each school's hashed pupil roster for the poller, kept for <see cref="Lifetime"/> per school so a poll does not
/// reload and decrypt it every minute; a new upload is picked up within that time. A roster that cannot be read
/// (its key is gone from the key ring) is logged and comments are scored without it: the pattern detectors still
/// apply, and failing closed would hold every comment of the school for review.
/// </summary>
public sealed partial class SchoolRosterCache(PupilRosters rosters, TimeProvider clock, ILogger<SchoolRosterCache> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    /// <summary>The school's roster (null when it has none), loaded at most once per <see cref="Lifetime"/>.</summary>
    public async Task<IPupilRoster?> GetAsync(Guid schoolId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(schoolId, out var cached) && now - cached.LoadedAt < Lifetime)
        {
            return cached.Roster;
        }

        IPupilRoster? roster;
        try
        {
            roster = await rosters.LoadAsync(schoolId, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            LogRosterUnreadable(logger, schoolId);
            roster = null;
        }

        _entries[schoolId] = new Entry(roster, now);
        return roster;
    }

    private sealed record Entry(IPupilRoster? Roster, DateTimeOffset LoadedAt);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "The pupil roster of school {SchoolId} cannot be decrypted with the key ring; scoring without it")]
    private static partial void LogRosterUnreadable(ILogger logger, Guid schoolId);
}

public static class PagePollingExtensions
{
    /// <summary>The page poller and the per-school roster cache it scores with.</summary>
    public static IServiceCollection AddPagePolling(this IServiceCollection services)
    {
        services.AddSingleton<SchoolRosterCache>();
        services.AddTransient<PagePoller>();
        return services;
    }
}
