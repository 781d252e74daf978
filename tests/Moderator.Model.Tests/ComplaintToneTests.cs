using Moderator.Model.Policy;

namespace Moderator.Model.Tests;

/// <summary>
/// A comment the committed model recognises as a complaint is not sent to review on the classifier's tone score alone
/// (abuse, offensive); a detector's finding, a safeguarding score or a hate score still sends it to review.
/// </summary>
public sealed class ComplaintToneTests(CommittedModelFixture fixture) : IClassFixture<CommittedModelFixture>
{
    [Fact]
    public void A_complaint_with_only_a_classifier_tone_score_is_allowed_without_reasons()
    {
        var assessment = fixture.Model.Score("The head is a disgrace and I will be complaining to the governors and the council");

        Assert.Contains(ModelAssessment.ComplaintTag, assessment.Tags);
        Assert.True(assessment.Scores[Category.Abuse] >= ModerationPolicy.Default.ThresholdsFor(Category.Abuse).Review,
            $"abuse {assessment.Scores[Category.Abuse]:F3}: the classifier's tone score alone would have reached review");
        Assert.Equal(Verdict.Allow, assessment.Verdict);
        Assert.Empty(assessment.Reasons);
    }

    [Fact]
    public void A_complaint_with_a_lexicon_insult_is_still_reviewed()
    {
        var assessment = fixture.Model.Score("Pathetic communication from the school again, I want a refund for the cancelled trip");

        Assert.Contains(ModelAssessment.ComplaintTag, assessment.Tags);
        Assert.Equal(Verdict.Review, assessment.Verdict);
        Assert.Contains(assessment.Reasons, r => r.Category == Category.Abuse && r.Detector != ModerationModel.ClassifierDetector);
    }

    [Fact]
    public void A_complaint_raising_a_safeguarding_concern_is_still_reviewed_on_the_classifier_alone()
    {
        var assessment = fixture.Model.Score(
            "I am making a formal complaint to the governors: my daughter says a man at the gates keeps asking her what time she walks home alone");

        Assert.Contains(ModelAssessment.ComplaintTag, assessment.Tags);
        Assert.True(assessment.Verdict >= Verdict.Review);
        Assert.Contains(assessment.Reasons, r => r.Category == Category.Safeguarding);
    }
}
