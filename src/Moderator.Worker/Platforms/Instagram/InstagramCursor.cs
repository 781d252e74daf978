using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Moderator.Worker.Platforms.Instagram;

/// <summary>
/// The poll cursor of one Instagram account. Instagram has no time filter on comments and a late reply can land under an
/// old top-level comment, so a timestamp cannot say what is new; the cursor therefore keeps, per scanned media, its
/// <c>comments_count</c> at the last scan and the set of comment ids seen on it. Ids are stored as 64-bit prefixes of
/// their SHA-256 (8 bytes each, sorted, base64url): compact, and no id in clear inside the page row. Media that leave the
/// scanned window leave the cursor, so it stays bounded by MaxMediaPerPoll × MaxCommentsPerMedia (replies included).
/// </summary>
public sealed class InstagramCursor
{
    private const int CurrentVersion = 1;

    private readonly Dictionary<string, MediaSeen> _media;

    private InstagramCursor(DateTimeOffset lastFullScan, Dictionary<string, MediaSeen> media)
    {
        LastFullScan = lastFullScan;
        _media = media;
    }

    /// <summary>When every listed media was last read regardless of its comment count.</summary>
    public DateTimeOffset LastFullScan { get; }

    public int MediaCount => _media.Count;

    /// <summary>What the last poll saw on one media, or null when the media was not scanned before.</summary>
    public MediaSeen? Media(string mediaId) => _media.GetValueOrDefault(mediaId);

    public static InstagramCursor Create(DateTimeOffset lastFullScan, IReadOnlyDictionary<string, MediaSeen> media) =>
        new(lastFullScan, new Dictionary<string, MediaSeen>(media, StringComparer.Ordinal));

    /// <summary>Null for the first poll; throws <see cref="ArgumentException"/> for text that is not an Instagram cursor.</summary>
    public static InstagramCursor? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        InstagramCursorDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(text, InstagramJsonContext.Default.InstagramCursorDocument);
        }
        catch (JsonException exception)
        {
            throw new ArgumentException("Not an Instagram cursor.", nameof(text), exception);
        }

        if (document is not { V: CurrentVersion })
        {
            throw new ArgumentException("Not an Instagram cursor (unknown version).", nameof(text));
        }

        var media = new Dictionary<string, MediaSeen>(StringComparer.Ordinal);
        foreach (var (id, seen) in document.Media ?? [])
        {
            try
            {
                media[id] = new MediaSeen(seen.Count, Decode(seen.Seen));
            }
            catch (FormatException exception)
            {
                throw new ArgumentException("Not an Instagram cursor (unreadable id set).", nameof(text), exception);
            }
        }

        return new InstagramCursor(DateTimeOffset.FromUnixTimeSeconds(document.Full), media);
    }

    public string Format() => JsonSerializer.Serialize(
        new InstagramCursorDocument(
            CurrentVersion,
            LastFullScan.ToUnixTimeSeconds(),
            _media.ToDictionary(m => m.Key, m => new InstagramCursorMedia(m.Value.CommentsCount, Encode(m.Value.Ids)), StringComparer.Ordinal)),
        InstagramJsonContext.Default.InstagramCursorDocument);

    /// <summary>The 64-bit key a comment id is remembered by.</summary>
    public static ulong KeyOf(string commentId)
    {
        ArgumentNullException.ThrowIfNull(commentId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(commentId), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    private static string Encode(IReadOnlySet<ulong> ids)
    {
        var bytes = new byte[ids.Count * sizeof(ulong)];
        var offset = 0;
        foreach (var id in ids.Order())
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(offset), id);
            offset += sizeof(ulong);
        }

        return Base64Url.EncodeToString(bytes);
    }

    private static HashSet<ulong> Decode(string? text)
    {
        var bytes = Base64Url.DecodeFromChars(text ?? string.Empty);
        if (bytes.Length % sizeof(ulong) != 0)
        {
            throw new FormatException("The id set is not a whole number of 8-byte keys.");
        }

        var ids = new HashSet<ulong>(bytes.Length / sizeof(ulong));
        for (var offset = 0; offset < bytes.Length; offset += sizeof(ulong))
        {
            ids.Add(BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(offset)));
        }

        return ids;
    }
}

/// <summary>One media as the last poll saw it: its comment count and the keys (<see cref="InstagramCursor.KeyOf"/>) of every comment on it.</summary>
public sealed record MediaSeen(int CommentsCount, IReadOnlySet<ulong> Ids)
{
    public bool HasSeen(string commentId) => Ids.Contains(InstagramCursor.KeyOf(commentId));
}

/// <summary>The cursor's JSON: <c>{"v":1,"full":unix-seconds,"media":{"&lt;media-id&gt;":{"count":n,"seen":"base64url"}}}</c>.</summary>
public sealed record InstagramCursorDocument(int V, long Full, Dictionary<string, InstagramCursorMedia>? Media);

public sealed record InstagramCursorMedia(int Count, string? Seen);
