using Moderator.Model.Policy;

namespace Moderator.Model.Tests;

public sealed class ClassifierOnlyActionTests
{
    private static readonly CategoryThresholds Safeguarding = ModerationPolicy.DefaultThresholds[Category.Safeguarding];

    [Theory]
    [InlineData(4, 0.97)]
    [InlineData(5, 0.99)]
    [InlineData(6, 0.75)]
    [InlineData(10, 0.7)]
    [InlineData(11, 0.65)]
    [InlineData(40, 0.55)]
    public void The_classifier_alone_does_not_hide_short_comments_or_unsure_scores(int words, double probability)
    {
        Assert.False(ModerationModel.ClassifierMayHide(Category.Safeguarding, probability, detectorScore: 0, Safeguarding, words));
    }

    [Theory]
    [InlineData(6, 0.8)]
    [InlineData(10, 0.95)]
    [InlineData(11, 0.7)]
    [InlineData(40, 0.75)]
    public void The_classifier_alone_hides_when_sure_on_a_comment_long_enough_to_judge(int words, double probability)
    {
        Assert.True(ModerationModel.ClassifierMayHide(Category.Safeguarding, probability, detectorScore: 0, Safeguarding, words));
    }

    [Fact]
    public void A_detectors_own_evidence_lets_even_a_short_comment_hide()
    {
        Assert.True(ModerationModel.ClassifierMayHide(Category.Safeguarding, 0.65, detectorScore: 0.8, Safeguarding, words: 3));
    }

    [Fact]
    public void Offensive_wording_never_hides_on_the_classifier_however_sure()
    {
        var offensive = ModerationPolicy.DefaultThresholds[Category.Offensive];
        Assert.False(ModerationModel.ClassifierMayHide(Category.Offensive, 0.99, detectorScore: 0.8, offensive, words: 30));
    }

    [Theory]
    [InlineData(3, 0.0, false)]
    [InlineData(5, 0.3, false)]
    [InlineData(5, 0.8, true)]
    [InlineData(6, 0.0, true)]
    public void The_classifier_alone_does_not_send_a_comment_of_five_words_or_fewer_to_review(int words, double detectorScore, bool mayReview)
    {
        Assert.Equal(mayReview, ModerationModel.ClassifierMayReview(detectorScore, Safeguarding, words));
    }
}
