using System.Text;
using Moderator.Model.Policy;

namespace Moderator.Model.Tests;

public sealed class ModerationPolicyTests
{
    private static Dictionary<Category, double> Scores(params (Category Category, double Score)[] scores)
    {
        var all = Categories.All.ToDictionary(c => c, _ => 0.0);
        foreach (var (category, score) in scores)
        {
            all[category] = score;
        }

        return all;
    }

    [Fact]
    public void Defaults_follow_the_house_rules()
    {
        var policy = ModerationPolicy.Default;
        Assert.Equal(Verdict.HideAndEscalate, policy.Decide(Scores((Category.Safeguarding, 0.8)), false, false));
        Assert.Equal(Verdict.Hide, policy.Decide(Scores((Category.Hate, 0.8)), false, false));
        Assert.Equal(Verdict.Hide, policy.Decide(Scores((Category.PupilIdentification, 0.8)), false, false));
        Assert.Equal(Verdict.Review, policy.Decide(Scores((Category.Abuse, 0.8)), false, false));
        Assert.Equal(Verdict.Hide, policy.Decide(Scores((Category.Abuse, 0.95)), false, false));
        Assert.Equal(Verdict.Review, policy.Decide(Scores((Category.Offensive, 0.6)), false, false));
        Assert.Equal(Verdict.Allow, policy.Decide(Scores((Category.Offensive, 0.2)), false, false));
    }

    [Fact]
    public void Spam_is_hidden_only_when_it_carries_a_link()
    {
        var scores = Scores((Category.Spam, 0.95));
        Assert.Equal(Verdict.Review, ModerationPolicy.Default.Decide(scores, hasLink: false, isComplaint: false));
        Assert.Equal(Verdict.Hide, ModerationPolicy.Default.Decide(scores, hasLink: true, isComplaint: false));
    }

    [Fact]
    public void A_complaint_is_never_hidden_for_abuse_alone()
    {
        Assert.Equal(Verdict.Review, ModerationPolicy.Default.Decide(Scores((Category.Abuse, 0.95)), false, isComplaint: true));
        Assert.Equal(Verdict.Hide, ModerationPolicy.Default.Decide(Scores((Category.Abuse, 0.95), (Category.Hate, 0.9)), false, isComplaint: true));
    }

    [Fact]
    public void Severe_hate_that_identifies_a_pupil_is_escalated()
    {
        Assert.Equal(Verdict.HideAndEscalate, ModerationPolicy.Default.Decide(Scores((Category.Hate, 0.9), (Category.PupilIdentification, 0.6)), false, false));
    }

    [Fact]
    public void A_comment_hidden_for_another_rule_that_may_be_a_risk_of_harm_is_escalated()
    {
        Assert.Equal(Verdict.HideAndEscalate, ModerationPolicy.Default.Decide(Scores((Category.PupilIdentification, 0.9), (Category.Safeguarding, 0.45)), false, false));
        Assert.Equal(Verdict.HideAndEscalate, ModerationPolicy.Default.Decide(Scores((Category.Abuse, 0.95), (Category.Safeguarding, 0.4)), false, false));
        Assert.Equal(Verdict.Hide, ModerationPolicy.Default.Decide(Scores((Category.PupilIdentification, 0.9), (Category.Safeguarding, 0.3)), false, false));
        Assert.Equal(Verdict.Review, ModerationPolicy.Default.Decide(Scores((Category.Abuse, 0.5), (Category.Safeguarding, 0.45)), false, false));
    }

    [Fact]
    public void A_page_can_override_thresholds()
    {
        var strict = new ModerationPolicy(new Dictionary<Category, CategoryThresholds> { [Category.Offensive] = new(0.2, 0.3, ModerationPolicy.Never) });
        Assert.Equal(Verdict.Hide, strict.Decide(Scores((Category.Offensive, 0.35)), false, false));
        Assert.Equal(Verdict.Review, ModerationPolicy.Default.Decide(Scores((Category.Safeguarding, 0.5)), false, false));
    }

    [Fact]
    public void Thresholds_out_of_order_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new ModerationPolicy(new Dictionary<Category, CategoryThresholds> { [Category.Hate] = new(0.8, 0.5, 0.9) }));
    }
}

public sealed class ModerationModelTests
{
    private static ModelAssessment Score(string text, ScoringContext? context = null) => TestModels.Detectors.Score(text, context);

    [Theory]
    [InlineData("dm me sweetie how old are you", Verdict.HideAndEscalate)]
    [InlineData("I'm going to hurt myself tonight", Verdict.HideAndEscalate)]
    [InlineData("I'll be waiting outside the gates for him", Verdict.HideAndEscalate)]
    [InlineData("well done Jayden Smith-Okafor in 4B", Verdict.Hide)]
    [InlineData("she lives at 14 Park Road", Verdict.Hide)]
    [InlineData("call his mum on 07700 900123", Verdict.Hide)]
    [InlineData("go back to your own country you p@ki", Verdict.Hide)]
    [InlineData("everyone knows Kayla is a slag", Verdict.Hide)]
    [InlineData("free iPads for parents, click bit.ly/3xYz", Verdict.Hide)]
    [InlineData("what a load of shit", Verdict.Review)]
    public void Examples_from_the_house_rules_get_their_default_action(string text, Verdict expected)
    {
        Assert.Equal(expected, Score(text).Verdict);
    }

    [Theory]
    [InlineData("Lovely photos, well done everyone in Year 4! 😍")]
    [InlineData("What time does the Christmas fair start on Saturday?")]
    [InlineData("Thank you Mrs Patel for a brilliant trip to the museum")]
    [InlineData("Gutted we missed sports day, Jayden loved it last year")]
    [InlineData("Can the PTA add more dates for the uniform sale please")]
    public void Everyday_comments_are_allowed(string text)
    {
        var assessment = Score(text);
        Assert.Equal(Verdict.Allow, assessment.Verdict);
        Assert.Empty(assessment.Reasons);
    }

    [Fact]
    public void A_complaint_stays_visible_and_is_tagged()
    {
        var assessment = Score("Really disappointed that the trip was cancelled at short notice, why were parents not told?");
        Assert.Equal(Verdict.Allow, assessment.Verdict);
        Assert.Contains(ModelAssessment.ComplaintTag, assessment.Tags);
    }

    [Fact]
    public void Reasons_carry_category_detector_house_rule_and_original_spans()
    {
        const string text = "call his mum on 07700 900123";
        var reason = Assert.Single(Score(text).Reasons, r => r.Detector == "contact");
        Assert.Equal(Category.PupilIdentification, reason.Category);
        Assert.Equal("contact", reason.Detector);
        Assert.StartsWith("pupil_identification:", reason.HouseRule, StringComparison.Ordinal);
        Assert.Equal("07700 900123", text.Substring(reason.Spans[0].Start, reason.Spans[0].Length));
    }

    [Fact]
    public void Every_category_has_a_score()
    {
        var assessment = Score("hello");
        Assert.Equal(Categories.All.Count, assessment.Scores.Count);
        Assert.False(assessment.FailedClosed);
    }

    [Fact]
    public void A_failure_inside_scoring_fails_closed_to_review()
    {
        var assessment = Score("Well done Jayden Smith in 4B", new ScoringContext(Roster: new BrokenRoster()));
        Assert.True(assessment.FailedClosed);
        Assert.Equal(Verdict.Review, assessment.Verdict);
    }

    public static TheoryData<string> HostileInputs() => new()
    {
        "abc\uD800def",                  // lone high surrogate
        "\uDC00\uDC00 fuck",             // lone low surrogates
        "ends with high \uD83D",         // truncated pair
        "nul\0inside\0text",
        "\u202Ekcuf\u202C reversed",     // right-to-left override
        "👨‍👩‍👧‍👦🏳️‍🌈🇬🇧👍🏽 family",          // ZWJ sequences, flags, skin tones
        new string('\u200B', 5000),
        string.Concat(Enumerable.Repeat("é\u0301\u0302", 3000)),
        "",
        "   ",
        new string('a', 100_000),
        string.Concat(Enumerable.Repeat("f a ", 10_000)),
        string.Concat(Enumerable.Repeat("07700 ", 10_000)),
        string.Concat(Enumerable.Repeat("http://", 10_000)),
        string.Concat(Enumerable.Repeat("*", 50_000)),
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_input_never_throws_and_is_not_a_failure(string text)
    {
        var assessment = Score(text);
        Assert.False(assessment.FailedClosed);
        Assert.All(assessment.Reasons, r => Assert.All(r.Spans, s => Assert.InRange(s.Start + s.Length, 0, text.Length)));
    }

    [Fact]
    public void A_one_megabyte_comment_is_scored_quickly()
    {
        var builder = new StringBuilder(1 << 20);
        var random = new Random(7);
        while (builder.Length < 1 << 20)
        {
            builder.Append("word").Append(random.Next(1000)).Append(' ').Append('\uD83D').Append('\uDE00');
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var assessment = Score(builder.ToString());
        Assert.False(assessment.FailedClosed);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
    }

    [Fact]
    public void Null_text_is_scored_as_empty()
    {
        Assert.Equal(Verdict.Allow, TestModels.Detectors.Score(null!).Verdict);
    }

    private sealed class BrokenRoster : IPupilRoster
    {
        public bool Contains(string normalisedFullName) => throw new InvalidOperationException("roster store unavailable");
    }
}
