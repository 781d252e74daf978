using System.Globalization;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.YouTube;

/// <summary>
/// The YouTube poll cursor: the newest <c>publishedAt</c> seen (unix milliseconds) and the ids of the comments returned
/// within the overlap before it, so the re-read overlap does not return them again. Text form: <c>yt1;{ms};{id,id,…}</c>.
/// </summary>
public sealed record YouTubeCursor(DateTimeOffset Newest, IReadOnlySet<string> RecentIds)
{
    private const string Prefix = "yt1";

    public bool Contains(string commentId) => RecentIds.Contains(commentId);

    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Prefix};{Newest.ToUnixTimeMilliseconds()};{string.Join(',', RecentIds.Order(StringComparer.Ordinal))}");

    public static YouTubeCursor? Parse(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        var parts = cursor.Split(';');
        if (parts.Length != 3 || parts[0] != Prefix || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds))
        {
            throw new ArgumentException("Not a YouTube cursor.", nameof(cursor));
        }

        return new YouTubeCursor(
            DateTimeOffset.FromUnixTimeMilliseconds(milliseconds),
            parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// The cursor after a poll that listed <paramref name="listed"/> (everything published since the previous cursor minus
    /// the overlap). A time ahead of this host's clock does not push the cursor past <paramref name="now"/>.
    /// </summary>
    public static YouTubeCursor? Next(YouTubeCursor? previous, IEnumerable<IncomingComment> listed, DateTimeOffset now, TimeSpan overlap)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var comments = listed.ToList();
        if (comments.Count == 0)
        {
            return previous;
        }

        var newest = comments.Max(c => c.CreatedAt);
        newest = newest > now ? now : newest;
        if (previous is not null && previous.Newest > newest)
        {
            newest = previous.Newest;
        }

        var recent = comments
            .Where(c => c.CreatedAt >= newest - overlap)
            .OrderByDescending(c => c.CreatedAt)
            .Take(YouTubeConnector.MaxCursorIds)
            .Select(c => c.ExternalId)
            .ToHashSet(StringComparer.Ordinal);
        return new YouTubeCursor(newest, recent);
    }
}
