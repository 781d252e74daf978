namespace Moderator.Core.Platforms;

/// <summary>
/// The port every platform adapter implements: read new comments of one page and hide, unhide or delete one of them.
/// Every failure surfaces as <see cref="PlatformException"/>, whose <see cref="PlatformException.Kind"/> tells the
/// caller whether to retry later, back off, or mark the page as needing reconnection.
/// </summary>
public interface IPlatformConnector
{
    Platform Platform { get; }

    /// <summary>Comments created since <paramref name="cursor"/> (null: the first poll of the page) on the page's recent posts.</summary>
    Task<CommentBatch> ListNewCommentsAsync(PageAccess page, string? cursor, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one comment as it is now, e.g. after a webhook says it was edited (an edit keeps the created time, so a
    /// poll since the cursor does not return it again). A deleted comment fails with <see cref="PlatformErrorKind.NotFound"/>.
    /// </summary>
    Task<IncomingComment> GetCommentAsync(PageAccess page, string postExternalId, string commentExternalId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <see cref="GetCommentAsync"/> reports <see cref="IncomingComment.IsHidden"/> as the platform has it. X's API
    /// does not say whether a reply is hidden, so there a retried hide or unhide cannot be judged done from a read and is
    /// sent again instead (both are idempotent on X).
    /// </summary>
    bool ReportsHiddenState => true;

    Task HideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken);

    Task UnhideAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken);

    Task DeleteAsync(PageAccess page, string commentExternalId, CancellationToken cancellationToken);
}
