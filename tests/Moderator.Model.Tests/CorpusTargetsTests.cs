using Moderator.Model.Classifier;
using Moderator.Model.Evaluation;
using Moderator.Model.Training;

namespace Moderator.Model.Tests;

/// <summary>Loads the committed model file and the school corpus once for the target tests.</summary>
public sealed class CommittedModelFixture
{
    public CommittedModelFixture()
    {
        var path = Path.Combine(TestModels.RepositoryRoot, "models", ModelFile.FileName);
        FileSize = new FileInfo(path).Length;
        Model = ModerationModel.Load(path);
        var corpus = Path.Combine(TestModels.RepositoryRoot, "seeds", "corpus");
        HeldOut = Evaluator.Evaluate(Model, Read(Directory.GetFiles(corpus, "heldout-*.tsv")));
        Blind = Evaluator.Evaluate(Model, Read(Directory.GetFiles(corpus, "blind-*.tsv")));
        SecondBlind = Evaluator.Evaluate(Model, Read(Directory.GetFiles(corpus, "blind2-*.tsv")));
        ThirdBlind = Evaluator.Evaluate(Model, Read(Directory.GetFiles(corpus, "blind3-*.tsv")));
        FourthBlind = Evaluator.Evaluate(Model, Read(Directory.GetFiles(corpus, "blind4-*.tsv")));
        Evasions = Evaluator.Evaluate(Model, Read([Path.Combine(corpus, "evasions.tsv")]));
        LookAlikes = Evaluator.Evaluate(Model, Read([Path.Combine(corpus, "lookalikes.tsv")]));
        IdentityMentions = Evaluator.Evaluate(Model, Read([Path.Combine(corpus, "identity-mentions.tsv")]));
        FirstNameMentions = Evaluator.Evaluate(Model, Read([Path.Combine(corpus, "first-name-mentions.tsv")]));
    }

    public ModerationModel Model { get; }

    public long FileSize { get; }

    public EvaluationReport HeldOut { get; }

    /// <summary>The blind split: written without seeing the training data, the lexicons or the model (seeds/corpus/README.md).</summary>
    public EvaluationReport Blind { get; }

    /// <summary>The second blind split (2026-12-07): three new writers, same rules as the first (seeds/corpus/README.md).</summary>
    public EvaluationReport SecondBlind { get; }

    /// <summary>The third blind split (2026-12-07, after the sixteenth revision spent the second): three more new writers (seeds/corpus/README.md).</summary>
    public EvaluationReport ThirdBlind { get; }

    /// <summary>The fourth blind split (2026-12-07, after 1.2.0 was chosen on the third): kept for the next candidate (seeds/corpus/README.md).</summary>
    public EvaluationReport FourthBlind { get; }

    public EvaluationReport Evasions { get; }

    public EvaluationReport LookAlikes { get; }

    /// <summary>Warm and fair comments naming 34 identities in the same templates (seeds/corpus/tools/make_identity_mentions.py).</summary>
    public EvaluationReport IdentityMentions { get; }

    /// <summary>A pupil's first name with a form (allowed) and the same sentences with a surname (seeds/corpus/tools/make_first_name_mentions.py).</summary>
    public EvaluationReport FirstNameMentions { get; }

    /// <summary>The report of a test split by its file prefix: heldout, blind, blind2, blind3 or blind4.</summary>
    public EvaluationReport Split(string split) => split switch
    {
        "heldout" => HeldOut,
        "blind" => Blind,
        "blind2" => SecondBlind,
        "blind3" => ThirdBlind,
        "blind4" => FourthBlind,
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "no such test split"),
    };

    public static ActionRates Rates(EvaluationReport report, string group) => report.Actions.Single(a => a.Group == group);

    internal static List<LabelledComment> Read(IEnumerable<string> files) =>
        files.Order(StringComparer.Ordinal).SelectMany(f =>
        {
            using var reader = new StreamReader(f);
            return CorpusReader.Read(reader, f).ToList();
        }).ToList();
}

/// <summary>
/// Issue 3's targets on the held-out school split and the blind split, measured with the committed model file. Where the model does not
/// reach the target yet, the test holds the measured level as a floor (see models/MODEL_CARD.md), so a change
/// that makes it worse fails.
/// </summary>
public sealed class CorpusTargetsTests(CommittedModelFixture fixture) : IClassFixture<CommittedModelFixture>
{
    // Load time is a performance target, so it is measured by `moderator bench` (models/MODEL_CARD.md, Speed), not timed here.
    [Fact]
    public void The_committed_model_file_is_small_has_a_classifier_and_names_its_training_data()
    {
        Assert.InRange(fixture.FileSize, 1, 15L * 1024 * 1024);
        Assert.True(fixture.Model.HasClassifier);
        Assert.Equal(64, fixture.Model.Header.TrainingDataSha256.Length);
        Assert.True(fixture.Model.Header.TrainingExamples > 1500);
    }

    // `moderator train` defaults to these settings, so that it reproduces the committed file (models/MODEL_CARD.md, reproduce).
    [Fact]
    public void The_committed_file_was_trained_with_the_settings_train_uses_by_default()
    {
        Assert.Equal(FeatureSettings.Product, fixture.Model.Header.Features);
        Assert.Equal(TrainingSettings.Product, fixture.Model.Header.Training);
        Assert.StartsWith("1.2.0+", fixture.Model.ModelVersion, StringComparison.Ordinal);
    }

    // Held-out clean and complaint comments: the target is none hidden and at most 5% reviewed. Measured with
    // this model (1.2.0): 5 of 123 clean reviewed (4.1%), 2 of 69 complaints (2.9%), none of either hidden: the target
    // is met. These hold that level: any more fails.
    [Theory]
    [InlineData("clean", 5, 0)]
    [InlineData("complaint", 2, 0)]
    public void Held_out_clean_and_complaint_comments_are_reviewed_and_hidden_no_more_than_measured(string group, int reviewedAtMost, int hiddenAtMost)
    {
        var rates = CommittedModelFixture.Rates(fixture.HeldOut, group);
        Assert.True(rates.Count > 50);
        Assert.True(rates.ReviewOrStronger * rates.Count <= reviewedAtMost + 0.0001, $"{group}: {rates.ReviewOrStronger:P1} reviewed");
        Assert.True(rates.Hidden * rates.Count <= hiddenAtMost + 0.0001, $"{group}: {rates.Hidden:P1} hidden");
    }

    [Fact]
    public void Held_out_pupil_identification_meets_the_review_and_hide_targets()
    {
        var rates = CommittedModelFixture.Rates(fixture.HeldOut, "pupil_identification");
        Assert.True(rates.ReviewOrStronger >= 0.95, $"review+ {rates.ReviewOrStronger:P1}");
        Assert.True(rates.Hidden >= 0.85, $"hidden {rates.Hidden:P1}");
    }

    // Held-out safeguarding hidden met its target with 1.1.0 (86.4%) and misses it by one comment with 1.2.0 (50 of 59,
    // 84.7%): it is a floor below, with the other unmet rates.
    [Fact]
    public void Held_out_hate_meets_the_review_and_hide_targets_and_spam_the_review_target()
    {
        var hate = CommittedModelFixture.Rates(fixture.HeldOut, "hate");
        var spam = CommittedModelFixture.Rates(fixture.HeldOut, "spam");
        Assert.True(hate.ReviewOrStronger >= 0.95, $"hate review+ {hate.ReviewOrStronger:P1}");
        Assert.True(hate.Hidden >= 0.85, $"hate hidden {hate.Hidden:P1}");
        Assert.True(spam.ReviewOrStronger >= 0.95, $"spam review+ {spam.ReviewOrStronger:P1}");
    }

    // Measured floors (issue target in brackets): review+ (95%), hidden (85% for safeguarding, hate and pupils),
    // escalated (90% for safeguarding). The blind split was written without seeing the training data or the model:
    // the fairest measure of unseen wording.
    [Theory]
    [InlineData("heldout", "safeguarding", 0.91, 0.84, 0.83)]
    [InlineData("heldout", "hate", 0.97, 0.92, 0.0)]
    [InlineData("heldout", "abuse", 0.93, 0.0, 0.0)]
    [InlineData("heldout", "offensive", 0.87, 0.0, 0.0)]
    [InlineData("blind", "safeguarding", 0.99, 0.96, 0.94)]
    [InlineData("blind", "hate", 0.92, 0.85, 0.0)]
    [InlineData("blind", "pupil_identification", 0.96, 0.92, 0.0)]
    [InlineData("blind", "abuse", 0.95, 0.0, 0.0)]
    [InlineData("blind", "offensive", 0.91, 0.0, 0.0)]
    [InlineData("blind", "spam", 0.98, 0.0, 0.0)]
    [InlineData("blind2", "safeguarding", 0.97, 0.89, 0.83)]
    [InlineData("blind2", "hate", 0.92, 0.89, 0.0)]
    [InlineData("blind2", "pupil_identification", 0.98, 0.98, 0.0)]
    [InlineData("blind2", "abuse", 0.85, 0.0, 0.0)]
    [InlineData("blind2", "offensive", 0.93, 0.0, 0.0)]
    [InlineData("blind2", "spam", 0.91, 0.0, 0.0)]
    [InlineData("blind3", "safeguarding", 0.97, 0.93, 0.91)]
    [InlineData("blind3", "hate", 0.96, 0.92, 0.0)]
    [InlineData("blind3", "pupil_identification", 0.94, 0.91, 0.0)]
    [InlineData("blind3", "abuse", 0.90, 0.0, 0.0)]
    [InlineData("blind3", "offensive", 0.94, 0.0, 0.0)]
    [InlineData("blind3", "spam", 0.99, 0.0, 0.0)]
    [InlineData("blind4", "safeguarding", 0.99, 0.97, 0.94)]
    [InlineData("blind4", "hate", 0.94, 0.89, 0.0)]
    [InlineData("blind4", "pupil_identification", 0.93, 0.78, 0.0)]
    [InlineData("blind4", "abuse", 0.84, 0.0, 0.0)]
    [InlineData("blind4", "offensive", 0.91, 0.0, 0.0)]
    [InlineData("blind4", "spam", 0.94, 0.0, 0.0)]
    public void Harmful_categories_stay_at_or_above_their_measured_floors(string split, string group, double review, double hidden, double escalated)
    {
        var rates = CommittedModelFixture.Rates(fixture.Split(split), group);
        Assert.True(rates.ReviewOrStronger >= review, $"{split} {group} review+ {rates.ReviewOrStronger:P1}");
        Assert.True(rates.Hidden >= hidden, $"{split} {group} hidden {rates.Hidden:P1}");
        Assert.True(rates.Escalated >= escalated, $"{split} {group} escalated {rates.Escalated:P1}");
    }

    // Measured with 1.2.0 (models/MODEL_CARD.md): on the blind split 7 of 154 clean comments reviewed and 1 hidden (the
    // pupil head alone; 1.1.0 hid none), 3 of 83 complaints reviewed and none hidden. On the second, 6 of 160 clean
    // reviewed and 1 hidden (the pupil head alone), 2 of 85 complaints reviewed and 1 hidden (the hate head alone). On
    // the third, 6 of 158 clean reviewed and 1 hidden and escalated (a safeguarding lexicon phrase), 3 of 87 complaints
    // reviewed and none hidden. On the fourth, 3 of 162 clean reviewed and 1 hidden (a contact detail, pupil
    // identification), 2 of 87 complaints reviewed and none hidden.
    // The hides miss the target; the rows hold the measured counts so a change cannot add more.
    [Theory]
    [InlineData("blind", "clean", 7, 1)]
    [InlineData("blind", "complaint", 3, 0)]
    [InlineData("blind2", "clean", 6, 1)]
    [InlineData("blind2", "complaint", 2, 1)]
    [InlineData("blind3", "clean", 6, 1)]
    [InlineData("blind3", "complaint", 3, 0)]
    [InlineData("blind4", "clean", 3, 1)]
    [InlineData("blind4", "complaint", 2, 0)]
    public void Blind_clean_and_complaint_comments_are_reviewed_and_hidden_no_more_than_measured(string split, string group, int reviewedAtMost, int hiddenAtMost)
    {
        var rates = CommittedModelFixture.Rates(fixture.Split(split), group);
        Assert.True(rates.Count > 50);
        Assert.True(rates.ReviewOrStronger * rates.Count <= reviewedAtMost + 0.0001, $"{split} {group}: {rates.ReviewOrStronger:P1} reviewed");
        Assert.True(rates.Hidden * rates.Count <= hiddenAtMost + 0.0001, $"{split} {group}: {rates.Hidden:P1} hidden");
    }

    [Fact]
    public void Held_out_flagged_versus_clean_ranks_well()
    {
        Assert.True(fixture.HeldOut.FlaggedVsClean.RocAuc >= 0.95, $"ROC AUC {fixture.HeldOut.FlaggedVsClean.RocAuc:F3}");
        Assert.Equal(0, fixture.HeldOut.FailedClosed);
    }

    [Fact]
    public void The_evasion_corpus_is_caught()
    {
        Assert.True(fixture.Evasions.FlaggedVsClean.Recall >= 0.97, $"flagged {fixture.Evasions.FlaggedVsClean.Recall:P1}");
        foreach (var group in new[] { "safeguarding", "hate", "abuse", "offensive", "spam" })
        {
            var rates = CommittedModelFixture.Rates(fixture.Evasions, group);
            Assert.True(rates.ReviewOrStronger >= 0.9, $"{group} review+ {rates.ReviewOrStronger:P1}");
        }
    }

    [Fact]
    public void Innocent_look_alikes_are_rarely_reviewed_and_almost_never_hidden()
    {
        var clean = CommittedModelFixture.Rates(fixture.LookAlikes, "clean");
        var complaint = CommittedModelFixture.Rates(fixture.LookAlikes, "complaint");
        // Measured with 1.2.0: 14 of 198 reviewed (7.1%), and 2 hidden, by the classifier alone (one on the safeguarding
        // head, as 1.1.0 did, and one more on the hate head: the cost the sixteenth revision accepted, models/REVISIONS.md);
        // no complaint look-alike hidden.
        Assert.True(clean.ReviewOrStronger * clean.Count <= 14.0001, $"clean look-alikes reviewed {clean.ReviewOrStronger:P1}");
        Assert.True(clean.Hidden * clean.Count <= 2.0001, $"clean look-alikes hidden {clean.Hidden:P1}");
        Assert.Equal(0, complaint.Hidden);
    }

    // Identity-term bias (models/REVISIONS.md, eleventh revision, "Identity mentions"): 1.1.0 reviewed 44 of 476 clean
    // template comments and hid 16, all "Welcome to all our new {identity} families" (hate, classifier only). 1.2.0, with
    // the warm identity lines of batch 12 and word vectors, reviews 27 and hides none; none of the 102 complaints is
    // reviewed. Held as a ceiling: any more fails.
    [Fact]
    public void Comments_naming_an_identity_warmly_are_reviewed_and_hidden_no_more_than_measured()
    {
        var clean = CommittedModelFixture.Rates(fixture.IdentityMentions, "clean");
        var complaint = CommittedModelFixture.Rates(fixture.IdentityMentions, "complaint");
        Assert.Equal(476, clean.Count);
        AssertReviewedAndHiddenAtMost(clean, reviewed: 27, hidden: 0, "identity mentions");
        Assert.Equal(0, complaint.ReviewOrStronger);
    }

    // The policies' line around pupils' names (models/REVISIONS.md, twelfth revision, "First names"): 1.1.0 reviewed 34
    // of the 144 first-name-only praise lines and hid 11, and hid 87 of the 96 lines that add a surname. 1.2.0, whose
    // name list holds 2,307 more given names, reviews 27 and hides 10 (the classifier alone, on pupil identification),
    // and hides 94 of the 96. A ceiling for the false alarms and a floor for the identifying lines.
    [Fact]
    public void First_names_with_a_form_are_hidden_no_more_than_measured_and_full_names_are_still_hidden()
    {
        var firstNames = CommittedModelFixture.Rates(fixture.FirstNameMentions, "clean");
        var fullNames = CommittedModelFixture.Rates(fixture.FirstNameMentions, "pupil_identification");
        Assert.Equal(144, firstNames.Count);
        AssertReviewedAndHiddenAtMost(firstNames, reviewed: 27, hidden: 10, "first names");
        Assert.Equal(96, fullNames.Count);
        Assert.True(fullNames.Hidden * fullNames.Count >= 93.9999, $"full names hidden {fullNames.Hidden:P1}");
    }

    private static void AssertReviewedAndHiddenAtMost(ActionRates rates, int reviewed, int hidden, string what)
    {
        Assert.True(rates.ReviewOrStronger * rates.Count <= reviewed + 0.0001, $"{what} reviewed {rates.ReviewOrStronger:P1}");
        Assert.True(rates.Hidden * rates.Count <= hidden + 0.0001, $"{what} hidden {rates.Hidden:P1}");
    }
}
