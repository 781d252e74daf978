namespace Moderator.Core.Platforms;

/// <summary>
/// What "hidden" means on one platform, in words a moderator can read on the item page: what the product does there,
/// who can still see a hidden item, and what the platform does not allow at all.
/// </summary>
/// <param name="Platform">The platform described.</param>
/// <param name="HideAction">The platform operation the product performs when it "hides" an item.</param>
/// <param name="StillVisibleTo">Who can still see an item after it was hidden.</param>
/// <param name="Limits">What cannot be hidden on this platform (shown as "cannot hide — act on the platform").</param>
/// <param name="CanDeleteOthersComments">Whether the page's account can delete comments written by other people.</param>
public sealed record HideSemantics(Platform Platform, string HideAction, string StillVisibleTo, string Limits, bool CanDeleteOthersComments);

/// <summary>The honest account, per platform, of what hiding does. Facts from each platform's documentation.</summary>
public static class PlatformSemantics
{
    private static readonly Dictionary<Platform, HideSemantics> Known = new()
    {
        [Platform.Facebook] = new(
            Platform.Facebook,
            "Hides the comment (Graph API is_hidden=true).",
            "The comment's author and their friends, and the page's admins; everyone else no longer sees it.",
            "Any comment on the page's own posts can be hidden.",
            CanDeleteOthersComments: true),
        [Platform.Instagram] = new(
            Platform.Instagram,
            "Hides the comment (Graph API hide=true).",
            "The comment's author and the account's admins. Comments written by the account itself cannot be hidden and stay visible.",
            "Comments by the school's own account stay visible to everyone even when hidden.",
            CanDeleteOthersComments: true),
        [Platform.X] = new(
            Platform.X,
            "Hides the reply (PUT /2/tweets/{id}/hidden); its author is not notified.",
            "Anyone: hidden replies stay viewable through \"View hidden replies\" and on the author's own profile.",
            "Only replies in conversations started by the school's account can be hidden; a reply elsewhere (for example a quote or a reply in someone else's thread) cannot be hidden or deleted by the school: report it on X.",
            CanDeleteOthersComments: false),
        [Platform.YouTube] = new(
            Platform.YouTube,
            "There is no hide: the comment is rejected (removed from public view) or held for review (moved to the channel's review queue).",
            "A held comment is visible to the channel's moderators in YouTube Studio; a rejected one to nobody publicly.",
            "Only comments on videos the channel owns can be moderated; others cannot be acted on from here.",
            CanDeleteOthersComments: false),
    };

    /// <summary>The semantics of <paramref name="platform"/>; throws for a platform the product does not know.</summary>
    public static HideSemantics For(Platform platform) =>
        Known.TryGetValue(platform, out var semantics)
            ? semantics
            : throw new ArgumentOutOfRangeException(nameof(platform), platform, "No hide semantics for this platform.");

    /// <summary>Every known platform's semantics, in platform order.</summary>
    public static IReadOnlyList<HideSemantics> All => [.. Known.Values.OrderBy(s => s.Platform)];
}
