using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Tests.Platforms;

public sealed class InstagramSemanticsTests
{
    [Fact]
    public void Instagram_hidden_means_still_visible_to_the_author_and_never_hides_the_accounts_own_comments()
    {
        var instagram = PlatformSemantics.For(Platform.Instagram);

        Assert.Equal(Platform.Instagram, instagram.Platform);
        Assert.Contains("author", instagram.StillVisibleTo, StringComparison.Ordinal);
        Assert.Contains("own account stay visible", instagram.Limits, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_platform_has_an_entry_saying_who_can_still_see_a_hidden_comment()
    {
        Assert.All(Enum.GetValues<Platform>(), platform =>
        {
            var entry = PlatformSemantics.For(platform);
            Assert.Equal(platform, entry.Platform);
            Assert.False(string.IsNullOrWhiteSpace(entry.StillVisibleTo));
        });
        Assert.Equal(Enum.GetValues<Platform>().Length, PlatformSemantics.All.Count);
        Assert.Contains("friends", PlatformSemantics.For(Platform.Facebook).StillVisibleTo, StringComparison.Ordinal);
        Assert.Contains("View hidden replies", PlatformSemantics.For(Platform.X).StillVisibleTo, StringComparison.Ordinal);
        Assert.Contains("held for review", PlatformSemantics.For(Platform.YouTube).HideAction, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PlatformSemantics.For((Platform)99));
    }
}
