using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Moderator.Core.Platforms;

/// <summary>The answer to Meta's subscription handshake: echo the challenge with 200, or refuse with 403.</summary>
public sealed record MetaWebhookHandshake(bool Accepted, string? Challenge);

/// <summary>How a webhook delivery was judged.</summary>
public enum MetaWebhookStatus
{
    /// <summary>Signature valid and body readable: answer 200.</summary>
    Accepted = 1,

    /// <summary>Signature header missing or not matching the body: answer 401 (or 403) and log the rejection.</summary>
    BadSignature = 2,

    /// <summary>Signature valid but the body is not a Meta change notification: answer 400.</summary>
    Malformed = 3,
}

/// <summary>
/// One comment change from a <c>page</c>/<c>feed</c> webhook (<see cref="PageId"/> is the Page id) or an
/// <c>instagram</c>/<c>comments</c> one (<see cref="PageId"/> is the Instagram account id, <see cref="PostId"/> the media
/// id, <see cref="Verb"/> always <c>add</c>: Instagram only notifies new comments). Only ids and the verb: the text is
/// read by the poll.
/// </summary>
public sealed record MetaCommentChange(string PageId, string CommentId, string? PostId, string? ParentId, string Verb, Platform Platform = Platform.Facebook);

/// <summary>A judged delivery and, when accepted, the comment changes in it (other feed items are ignored).</summary>
public sealed record MetaWebhookDelivery(MetaWebhookStatus Status, IReadOnlyList<MetaCommentChange> CommentChanges);

/// <summary>
/// Meta (Facebook Pages and Instagram) webhooks as plain functions over raw bytes and header values, so any host can map
/// them: the verification handshake, the <c>X-Hub-Signature-256</c> check and the parsing of comment changes (<c>page</c>
/// deliveries' <c>feed</c> comment items, <c>instagram</c> deliveries' <c>comments</c> field).
/// A change only says "poll this page now"; the poll stays the source of truth.
/// </summary>
public static class MetaWebhook
{
    public const string SignatureHeader = "X-Hub-Signature-256";

    private const string SignaturePrefix = "sha256=";

    /// <summary>
    /// The GET handshake: accepted only for <c>hub.mode=subscribe</c> with the expected verify token (compared in
    /// constant time) and a challenge to echo.
    /// </summary>
    public static MetaWebhookHandshake Verify(string? mode, string? verifyToken, string? challenge, string expectedVerifyToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedVerifyToken);
        if (!string.Equals(mode, "subscribe", StringComparison.Ordinal) || verifyToken is null || string.IsNullOrEmpty(challenge))
        {
            return new MetaWebhookHandshake(false, null);
        }

        var matches = CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(verifyToken)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expectedVerifyToken)));
        return matches ? new MetaWebhookHandshake(true, challenge) : new MetaWebhookHandshake(false, null);
    }

    /// <summary>True when <paramref name="signatureHeader"/> is <c>sha256=</c> + hex HMAC-SHA256 of the raw body with the app secret.</summary>
    public static bool IsSignatureValid(ReadOnlySpan<byte> rawBody, string? signatureHeader, string appSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        if (signatureHeader is null || !signatureHeader.StartsWith(SignaturePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = signatureHeader.AsSpan(SignaturePrefix.Length).Trim();
        if (hex.Length != HMACSHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        Span<byte> claimed = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (Convert.FromHexString(hex, claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != claimed.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody, expected);
        return CryptographicOperations.FixedTimeEquals(claimed, expected);
    }

    /// <summary>The signature header value Meta would send for this body (for simulators and tests).</summary>
    public static string Sign(ReadOnlySpan<byte> rawBody, string appSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        return SignaturePrefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), rawBody));
    }

    /// <summary>Checks the signature first, then reads the comment changes out of a POSTed delivery.</summary>
    public static MetaWebhookDelivery Receive(ReadOnlySpan<byte> rawBody, string? signatureHeader, string appSecret)
    {
        if (!IsSignatureValid(rawBody, signatureHeader, appSecret))
        {
            return new MetaWebhookDelivery(MetaWebhookStatus.BadSignature, []);
        }

        var changes = ParseCommentChanges(rawBody);
        return changes is null
            ? new MetaWebhookDelivery(MetaWebhookStatus.Malformed, [])
            : new MetaWebhookDelivery(MetaWebhookStatus.Accepted, changes);
    }

    /// <summary>
    /// The comment changes of a <c>page</c> or <c>instagram</c> delivery, or null when the body is not a Meta change
    /// notification. Other objects (and other fields, e.g. Instagram <c>live_comments</c>, which the poll cannot read) yield none.
    /// </summary>
    public static IReadOnlyList<MetaCommentChange>? ParseCommentChanges(ReadOnlySpan<byte> rawBody)
    {
        try
        {
            var reader = new Utf8JsonReader(rawBody);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("object", out var objectKind) || objectKind.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            Platform platform;
            switch (objectKind.GetString())
            {
                case "page":
                    platform = Platform.Facebook;
                    break;
                case "instagram":
                    platform = Platform.Instagram;
                    break;
                default:
                    return [];
            }

            var result = new List<MetaCommentChange>();
            foreach (var entry in entries.EnumerateArray())
            {
                var pageId = IdOf(entry, "id");
                if (pageId is null || !entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var change in changes.EnumerateArray())
                {
                    var read = platform == Platform.Instagram
                        ? TryReadInstagramCommentChange(pageId, change, out var comment)
                        : TryReadCommentChange(pageId, change, out comment);
                    if (read)
                    {
                        result.Add(comment);
                    }
                }
            }

            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryReadCommentChange(string pageId, JsonElement change, out MetaCommentChange comment)
    {
        comment = null!;
        if (change.ValueKind != JsonValueKind.Object
            || IdOf(change, "field") != "feed"
            || !change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object
            || IdOf(value, "item") != "comment")
        {
            return false;
        }

        var commentId = IdOf(value, "comment_id");
        var verb = IdOf(value, "verb");
        if (commentId is null || verb is null)
        {
            return false;
        }

        comment = new MetaCommentChange(pageId, commentId, IdOf(value, "post_id"), IdOf(value, "parent_id"), verb);
        return true;
    }

    /// <summary><c>{"field":"comments","value":{"id","text","from":{…},"media":{"id","media_product_type"},"parent_id"}}</c>.</summary>
    private static bool TryReadInstagramCommentChange(string accountId, JsonElement change, out MetaCommentChange comment)
    {
        comment = null!;
        if (change.ValueKind != JsonValueKind.Object
            || IdOf(change, "field") != "comments"
            || !change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var commentId = IdOf(value, "id");
        if (commentId is null)
        {
            return false;
        }

        var mediaId = value.TryGetProperty("media", out var media) ? IdOf(media, "id") : null;
        comment = new MetaCommentChange(accountId, commentId, mediaId, IdOf(value, "parent_id"), "add", Platform.Instagram);
        return true;
    }

    /// <summary>Meta sends ids as strings but some payloads carry numbers; accept both.</summary>
    private static string? IdOf(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
