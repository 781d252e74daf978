namespace Moderator.Core.Platforms;

/// <summary>What the platform's "hide" does, in words an administrator can act on: who can still see the comment.</summary>
public sealed record HideSemantics(Platform Platform, string Action, string WhoStillSees, string Limits);

/// <summary>
/// The honest meaning of "hidden" on each platform, for the Admin item page. One entry per platform; none of them makes
/// a comment vanish for everybody, so the page shows who can still see it.
/// </summary>
public static class PlatformSemantics
{
    private static readonly Dictionary<Platform, HideSemantics> Entries = new()
    {
        [Platform.Facebook] = new(
            Platform.Facebook,
            "Hidden on the Page",
            "The author, the author's friends and the Page's admins still see a hidden comment; everyone else does not.",
            "Deleting removes it for everyone and cannot be undone."),
        [Platform.Instagram] = new(
            Platform.Instagram,
            "Hidden on the post",
            "The author still sees a hidden comment (as if nothing happened); other visitors do not.",
            "Comments by the school's own account stay visible to everyone even when hidden. Deleting removes a comment for everyone."),
        [Platform.X] = new(
            Platform.X,
            "Reply hidden",
            "A hidden reply is moved behind \"View hidden replies\": anyone who opens that can still read it.",
            "Only replies in conversations started by the school's account can be hidden; anything else cannot be hidden — act on the platform (report it)."),
        [Platform.YouTube] = new(
            Platform.YouTube,
            "Rejected or held for review",
            "YouTube has no hide: \"rejected\" removes the comment from public view; \"heldForReview\" moves it to the channel's review queue, out of public view until approved.",
            "Only comments on the channel's own videos can be moderated; elsewhere the comment cannot be hidden — act on the platform."),
    };

    /// <summary>The entry for <paramref name="platform"/>; every defined platform has one.</summary>
    public static HideSemantics For(Platform platform) =>
        Entries.TryGetValue(platform, out var entry)
            ? entry
            : throw new ArgumentOutOfRangeException(nameof(platform), platform, "No hide semantics for this platform.");

    public static IReadOnlyCollection<HideSemantics> All => Entries.Values;
}
