using Moderator.Model.Policy;

namespace Moderator.Model.Tests;

/// <summary>
/// House rule for offensive language: "hide when strong; otherwise review". Strength is the lexicon's severity, so the
/// classifier's certainty that mild swearing is rude sends it to people, while a listed strong word still hides.
/// </summary>
public sealed class OffensiveStrengthTests(CommittedModelFixture fixture) : IClassFixture<CommittedModelFixture>
{
    private static readonly double Hide = ModerationPolicy.Default.ThresholdsFor(Category.Offensive).Hide;

    [Theory]
    [InlineData("the car park is a bloody joke")]
    [InlineData("what the hell is going on with the car park")]
    [InlineData("what a shitshow of a parents evening, waited 40 minutes")]
    [InlineData("half the dads at the fair were off their faces by three")]
    [InlineData("can't be arsed with another dress up day")]
    public void Mild_swearing_is_reviewed_not_hidden_however_sure_the_classifier_is(string text)
    {
        var assessment = fixture.Model.Score(text);

        Assert.Equal(Verdict.Review, assessment.Verdict);
        Assert.True(assessment.Scores[Category.Offensive] < Hide);
        Assert.Contains(assessment.Reasons, r => r.Category == Category.Offensive);
    }

    [Fact]
    public void A_listed_strong_word_still_hides()
    {
        var assessment = fixture.Model.Score("fucking shambles this school");

        Assert.True(assessment.Verdict >= Verdict.Hide);
        Assert.Contains(assessment.Reasons, r => r.Category == Category.Offensive && r.Detector != ModerationModel.ClassifierDetector && r.Score >= Hide);
    }
}
