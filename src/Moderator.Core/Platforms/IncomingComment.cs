namespace Moderator.Core.Platforms;

/// <summary>
/// One comment as a platform reported it. <see cref="Text"/> and <see cref="AuthorDisplayName"/> are personal data:
/// store them, score them, never log them.
/// </summary>
public sealed record IncomingComment(
    Platform Platform,
    string ExternalId,
    string PostExternalId,
    string? ParentExternalId,
    string? AuthorExternalId,
    string? AuthorDisplayName,
    string Text,
    DateTimeOffset CreatedAt,
    Uri? Permalink,
    bool IsHidden)
{
    /// <summary>Ids only, so an accidental log line cannot leak the text or the author's name.</summary>
    public override string ToString() => $"{Platform} comment {ExternalId} on {PostExternalId}";
}

/// <summary>
/// The comments one poll found, and the cursor to pass to the next poll. The cursor is opaque to callers and only
/// advances over comments this batch returned; a batch may repeat comments from the previous one (callers upsert by id).
/// </summary>
public sealed record CommentBatch(IReadOnlyList<IncomingComment> Comments, string? NextCursor);
