using System.Security.Cryptography;
using Moderator.Model.Classifier;
using Moderator.Model.Evaluation;
using Moderator.Model.Training;

namespace Moderator.Model.Tests;

public sealed class ClassifierTests
{
    private static readonly string[] Praise =
    [
        "well done to the football team", "lovely photos of the trip", "thank you for the concert", "great assembly today",
        "brilliant work year four", "the fair was wonderful", "thanks to all the staff", "what a fantastic sports day",
        "lovely to see the choir", "amazing effort from everyone", "so proud of the class", "the display looks great",
    ];

    private static readonly string[] Insults =
    [
        "you are a useless idiot", "what a pathetic clown", "shut up you moron", "this teacher is a joke and a liar",
        "you stupid loser", "total idiot running the office", "moron of a head", "pathetic lazy useless lot",
        "you are a clown and a liar", "idiot parents everywhere", "stupid useless staff", "the head is a moron",
    ];

    private static List<LabelledComment> TinyCorpus()
    {
        var data = new List<LabelledComment>();
        var line = 2;
        foreach (var text in Praise)
        {
            data.Add(new LabelledComment(text, 0, "tiny.tsv", line++));
        }

        foreach (var text in Insults)
        {
            data.Add(new LabelledComment(text, 1 << (int)Category.Abuse, "tiny.tsv", line++));
        }

        return data;
    }

    private static TrainingOptions SmallOptions(int seed) =>
        new("test", FeatureSettings.Default with { HashBits = 12 }, TrainingSettings.Default with { Seed = seed, Epochs = 4 });

    [Fact]
    public void Same_data_and_seed_give_a_byte_identical_model_file()
    {
        var first = ModelTrainer.TrainToBytes(TinyCorpus(), TestModels.Lexicons, SmallOptions(42));
        var second = ModelTrainer.TrainToBytes(TinyCorpus(), TestModels.Lexicons, SmallOptions(42));
        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
    }

    [Fact]
    public void A_different_seed_gives_a_different_model_file()
    {
        var first = ModelTrainer.TrainToBytes(TinyCorpus(), TestModels.Lexicons, SmallOptions(42));
        var second = ModelTrainer.TrainToBytes(TinyCorpus(), TestModels.Lexicons, SmallOptions(43));
        Assert.NotEqual(SHA256.HashData(first), SHA256.HashData(second));
    }

    [Fact]
    public void A_trained_model_round_trips_through_the_file_with_its_header()
    {
        var data = TinyCorpus();
        var bytes = ModelTrainer.TrainToBytes(data, TestModels.Lexicons, SmallOptions(7));
        var model = ModerationModel.Load(new MemoryStream(bytes));
        Assert.Equal(ModelHeader.WithoutWordVectorsFormatVersion, model.Header.FormatVersion);
        Assert.Equal("test", model.Header.Version);
        Assert.Equal(12, model.Header.Features.HashBits);
        Assert.Equal(data.Count, model.Header.TrainingExamples);
        Assert.Equal(ModelTrainer.DataHash(data, TestModels.Lexicons), model.Header.TrainingDataSha256);
        Assert.StartsWith("test+", model.ModelVersion, StringComparison.Ordinal);
        Assert.True(model.HasClassifier);
        Assert.Equal(TestModels.Lexicons.Lexicon.Entries.Count, model.Lexicons.Lexicon.Entries.Count);
    }

    [Fact]
    public void The_public_negative_weight_is_kept_in_the_header_and_changes_what_is_learnt()
    {
        var data = TinyCorpus();
        data.Add(new LabelledComment("see you there mate, sweet", 0, "public.tsv", 2) { IsSchool = false });
        data.Add(new LabelledComment("lol just wow", 0, "public.tsv", 3) { IsSchool = false });
        var unlabelled = SmallOptions(7) with { Training = SmallOptions(7).Training with { PublicNegativeWeight = 0 } };
        var weighted = SmallOptions(7) with { Training = SmallOptions(7).Training with { PublicNegativeWeight = 0.25 } };

        var without = ModelTrainer.TrainToBytes(data, TestModels.Lexicons, unlabelled);
        var with = ModelTrainer.TrainToBytes(data, TestModels.Lexicons, weighted);

        Assert.Equal(0.25, ModerationModel.Load(new MemoryStream(with)).Header.Training.PublicNegativeWeight);
        Assert.Equal(0, ModerationModel.Load(new MemoryStream(without)).Header.Training.PublicNegativeWeight);
        Assert.NotEqual(SHA256.HashData(without.AsSpan(200)), SHA256.HashData(with.AsSpan(200)));
    }

    [Fact]
    public void An_offensive_public_tweet_never_becomes_a_negative_for_the_school_only_heads()
    {
        var data = TinyCorpus();
        data.Add(new LabelledComment("i will find you and end you", 1 << (int)Category.Offensive, "public.tsv", 2) { IsSchool = false });
        var unlabelled = SmallOptions(7) with { Training = SmallOptions(7).Training with { PublicNegativeWeight = 0 } };
        var weighted = SmallOptions(7) with { Training = SmallOptions(7).Training with { PublicNegativeWeight = 0.25 } };

        var (_, _, without) = ModelTrainer.Train(data, TestModels.Lexicons, unlabelled);
        var (_, _, with) = ModelTrainer.Train(data, TestModels.Lexicons, weighted);

        Assert.Equal(without.Weights, with.Weights);
    }

    [Fact]
    public void The_clean_weight_is_kept_in_the_header_and_makes_clean_comments_count_more()
    {
        var data = TinyCorpus();
        var small = SmallOptions(7);
        var plain = small with { Training = small.Training with { CleanWeight = 1 } };
        var weighted = plain with { Training = plain.Training with { CleanWeight = 3 } };

        var without = ModelTrainer.TrainToBytes(data, TestModels.Lexicons, plain);
        var with = ModelTrainer.TrainToBytes(data, TestModels.Lexicons, weighted);

        Assert.Equal(3, ModerationModel.Load(new MemoryStream(with)).Header.Training.CleanWeight);
        Assert.Equal(1, ModerationModel.Load(new MemoryStream(without)).Header.Training.CleanWeight);
        Assert.NotEqual(SHA256.HashData(without.AsSpan(200)), SHA256.HashData(with.AsSpan(200)));
    }

    [Fact]
    public void The_classifier_learns_the_tiny_corpus()
    {
        var model = ModerationModel.Load(new MemoryStream(ModelTrainer.TrainToBytes(TinyCorpus(), TestModels.Lexicons, SmallOptions(7))));
        var insult = model.Score("you useless pathetic moron").Scores[Category.Abuse];
        var praise = model.Score("lovely photos, well done everyone").Scores[Category.Abuse];
        Assert.True(insult > praise + 0.3, $"insult {insult:F2}, praise {praise:F2}");
    }

    [Fact]
    public void A_damaged_model_file_is_refused()
    {
        var bytes = ModelTrainer.TrainToBytes(TinyCorpus(), TestModels.Lexicons, SmallOptions(7));
        bytes[bytes.Length / 2] ^= 0x55;
        var error = Assert.Throws<InvalidDataException>(() => ModerationModel.Load(new MemoryStream(bytes)));
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ModerationModel.Load(new MemoryStream("not a model"u8.ToArray())));
    }

    [Fact]
    public void Platt_scaling_is_monotonic_and_fits_separable_scores()
    {
        double[] z = [-3, -2, -1.5, -1, 1, 1.5, 2, 3];
        bool[] y = [false, false, false, false, true, true, true, true];
        var platt = PlattScaling.Fit(z, y);
        Assert.True(platt.Probability(2) > 0.8);
        Assert.True(platt.Probability(-2) < 0.2);
        Assert.True(platt.Probability(0.5) > platt.Probability(0.4));
    }
}

public sealed class CorpusReaderTests
{
    private static List<LabelledComment> Read(string text) => CorpusReader.Read(new StringReader(text), "x.tsv").ToList();

    [Fact]
    public void Reads_school_labels_complaints_and_clean()
    {
        var rows = Read("labels\ttext\nhate,abuse\tsome text\nclean\tnice\ncomplaint\tnot happy\n");
        Assert.Equal(3, rows.Count);
        Assert.True(rows[0].Has(Category.Hate) && rows[0].Has(Category.Abuse) && rows[0].IsFlagged);
        Assert.Equal(0, rows[1].Labels);
        Assert.True(rows[2].IsComplaint && !rows[2].IsFlagged);
        Assert.Equal(3, rows[1].Line);
    }

    [Fact]
    public void Maps_the_shared_datasets_labels()
    {
        var rows = Read("label\ttext\torig_class\nabusive\tx\tOFF/TIN/IND;id=1\nabusive\ty\tOFF/UNT/NULL;id=2\nhate\tz\thate_speech\nclean\tw\tNOT\n");
        Assert.True(rows[0].Has(Category.Abuse) && rows[0].Has(Category.Offensive));
        Assert.True(!rows[1].Has(Category.Abuse) && rows[1].Has(Category.Offensive));
        Assert.True(rows[2].Has(Category.Hate));
        Assert.False(rows[3].IsFlagged);
        Assert.All(rows, r => Assert.False(r.IsSchool));
    }

    [Theory]
    [InlineData("text\tlabels\nclean\thi\n", 1, "unexpected header")]
    [InlineData("labels\ttext\nclean\thi\nhate\n", 3, "expected 2 tab-separated columns, found 1")]
    [InlineData("labels\ttext\nclean\thi\nrude\thello\n", 3, "unknown label 'rude'")]
    [InlineData("labels\ttext\nclean\t   \n", 2, "the text is empty")]
    [InlineData("labels\ttext\nclean,hate\thi\n", 2, "'clean' cannot be combined")]
    [InlineData("", 1, "the file is empty")]
    public void A_malformed_file_stops_with_file_line_and_reason(string content, int line, string reason)
    {
        var error = Assert.Throws<CorpusFormatException>(() => Read(content));
        Assert.Equal("x.tsv", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"x.tsv:{line}: ", error.Message, StringComparison.Ordinal);
    }
}

public sealed class MetricsTests
{
    [Fact]
    public void Perfect_ranking_has_auc_one_and_reversed_has_zero()
    {
        double[] scores = [0.1, 0.2, 0.8, 0.9];
        bool[] truth = [false, false, true, true];
        var m = BinaryMetrics.Compute(scores, truth, 0.5);
        Assert.Equal(1.0, m.RocAuc, 6);
        Assert.Equal(1.0, m.PrAuc, 6);
        Assert.Equal(1.0, m.F1, 6);
        Assert.Equal(0.0, BinaryMetrics.AreaUnderRoc(scores, [true, true, false, false]), 6);
    }

    [Fact]
    public void Precision_recall_and_f1_count_at_the_threshold()
    {
        double[] scores = [0.9, 0.6, 0.4, 0.7];
        bool[] truth = [true, false, true, false];
        var m = BinaryMetrics.Compute(scores, truth, 0.5);
        Assert.Equal(1.0 / 3, m.Precision, 6);
        Assert.Equal(0.5, m.Recall, 6);
        Assert.Equal(0.4, m.F1, 6);
        Assert.Equal(0.5, m.RocAuc, 6);
    }

    [Fact]
    public void Macro_f1_averages_both_classes()
    {
        double[] scores = [0.9, 0.1, 0.2, 0.8];
        bool[] truth = [true, false, false, false];
        Assert.Equal((2.0 / 3 + 0.8) / 2, CrossValidation.MacroF1(scores, truth), 6);
    }

    [Fact]
    public void Flagging_everything_has_a_perfect_recall_but_a_poor_macro_f1_and_a_false_positive_rate_of_one()
    {
        double[] scores = [0.9, 0.9, 0.9, 0.9];
        bool[] truth = [true, false, false, false];
        var m = BinaryMetrics.Compute(scores, truth, 0.5);
        Assert.Equal(1.0, m.Recall, 6);
        Assert.Equal(1.0, m.FalsePositiveRate, 6);
        Assert.Equal(0.4 / 2, m.MacroF1, 6);
    }
}

public sealed class ModelFilesTests
{
    [Fact]
    public void The_default_model_is_found_upward_from_the_program()
    {
        var path = ModelFiles.DefaultPath;
        Assert.NotNull(path);
        Assert.Equal(Path.Combine(TestModels.RepositoryRoot, ModelFiles.DirectoryName, ModelFile.FileName), path);
    }

    [Fact]
    public void A_configured_path_wins_and_must_exist()
    {
        var configured = Path.Combine(TestModels.RepositoryRoot, ModelFiles.DirectoryName, ModelFile.FileName);
        Assert.Equal(configured, ModelFiles.Find(configured));
        Assert.Throws<FileNotFoundException>(() => ModelFiles.Find(Path.Combine(Path.GetTempPath(), "no-such-model.bin")));
    }
}
