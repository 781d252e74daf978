using System.Security.Cryptography;
using Moderator.Model.Classifier;
using Moderator.Model.Detection;
using Moderator.Model.Text;
using Moderator.Model.Training;

namespace Moderator.Model.Tests;

public sealed class WordVectorTests
{
    /// <summary>"cat" and "dog" share every context; "stocks" shares none with either.</summary>
    private static NormalisedText[] PetsAndMarkets()
    {
        var lines = new List<string>();
        foreach (var pet in new[] { "cat", "dog" })
        {
            for (var i = 0; i < 6; i++)
            {
                lines.Add($"the {pet} sat on the mat and purred softly");
                lines.Add($"my {pet} chased the ball across the garden");
                lines.Add($"we fed the {pet} some dinner tonight");
            }
        }

        for (var i = 0; i < 6; i++)
        {
            lines.Add("stocks rose sharply as markets opened in london");
            lines.Add("investors sold stocks after the bank raised rates");
            lines.Add("traders watched stocks fall before the close");
        }

        return [.. lines.Select(TextNormaliser.Normalise)];
    }

    private static float[] VectorOf(WordVectors vectors, string word)
    {
        var row = vectors.Row(Featuriser.WordHash(word));
        Assert.True(row >= 0, $"'{word}' has no vector");
        return vectors.Vectors.AsSpan(row * vectors.Dimensions, vectors.Dimensions).ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    [Fact]
    public void Words_used_in_the_same_company_get_closer_vectors_than_words_that_never_share_a_context()
    {
        var vectors = WordVectorTrainer.Train(PetsAndMarkets(), new WordVectorTrainer.Settings(Dimensions: 8), seed: 3);

        var pets = Cosine(VectorOf(vectors, "cat"), VectorOf(vectors, "dog"));
        var catAndStocks = Cosine(VectorOf(vectors, "cat"), VectorOf(vectors, "stocks"));

        Assert.True(pets > 0.8, $"cat·dog {pets:F3}");
        Assert.True(pets > catAndStocks + 0.5, $"cat·dog {pets:F3}, cat·stocks {catAndStocks:F3}");
    }

    [Fact]
    public void Words_seen_fewer_than_the_minimum_count_get_no_vector()
    {
        var texts = PetsAndMarkets().Append(TextNormaliser.Normalise("a solitary aardvark")).ToArray();

        var vectors = WordVectorTrainer.Train(texts, new WordVectorTrainer.Settings(Dimensions: 8), seed: 3);

        Assert.Equal(-1, vectors.Row(Featuriser.WordHash("aardvark")));
        Assert.True(vectors.Row(Featuriser.WordHash("cat")) >= 0);
    }

    [Fact]
    public void The_same_texts_and_seed_give_the_same_vectors()
    {
        var settings = new WordVectorTrainer.Settings(Dimensions: 8);
        var first = WordVectorTrainer.Train(PetsAndMarkets(), settings, seed: 3);
        var second = WordVectorTrainer.Train(PetsAndMarkets(), settings, seed: 3);

        Assert.Equal(first.Hashes, second.Hashes);
        Assert.Equal(first.Vectors, second.Vectors);
    }

    [Fact]
    public void The_eigen_solver_recovers_a_symmetric_matrix_from_its_values_and_vectors()
    {
        double[] matrix = [4, 1, 2, 1, 3, 0.5, 2, 0.5, 5];
        var (values, vectors) = WordVectorTrainer.SymmetricEigen(matrix, 3);

        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                double sum = 0;
                for (var k = 0; k < 3; k++)
                {
                    sum += vectors[i * 3 + k] * values[k] * vectors[j * 3 + k];
                }

                Assert.Equal(matrix[i * 3 + j], sum, 9);
            }
        }
    }

    [Fact]
    public void A_comment_vector_is_unit_length_and_zero_when_no_word_is_known()
    {
        var vectors = WordVectorTrainer.Train(PetsAndMarkets(), new WordVectorTrainer.Settings(Dimensions: 8), seed: 3);
        var known = new float[8];
        var unknown = new float[8];

        vectors.Embed(TextNormaliser.Normalise("the cat sat on the mat"), null, 0, known);
        vectors.Embed(TextNormaliser.Normalise("zebra quokka 42"), null, 0, unknown);

        Assert.Equal(1, Math.Sqrt(known.Sum(v => (double)v * v)), 5);
        Assert.All(unknown, v => Assert.Equal(0f, v));
    }

    private static List<LabelledComment> Corpus()
    {
        var data = new List<LabelledComment>();
        var line = 2;
        string[] praise = ["well done to the football team", "lovely photos of the trip", "thank you for the lovely concert", "great assembly today well done"];
        string[] insults = ["you are a useless idiot", "what a pathetic useless clown", "shut up you useless moron", "the head is a pathetic moron"];
        for (var copy = 0; copy < 3; copy++)
        {
            data.AddRange(praise.Select(text => new LabelledComment(text, 0, "tiny.tsv", line++)));
            data.AddRange(insults.Select(text => new LabelledComment(text, 1 << (int)Category.Abuse, "tiny.tsv", line++)));
        }

        return data;
    }

    private static TrainingOptions WithVectors(int seed) =>
        new("test", FeatureSettings.Default with { HashBits = 12, EmbeddingDimensions = 8 }, TrainingSettings.Default with { Seed = seed, Epochs = 3 });

    [Fact]
    public void A_model_with_word_vectors_is_format_4_and_scores_after_loading_as_it_did_when_trained()
    {
        var data = Corpus();
        var (header, idf, trained) = ModelTrainer.Train(data, TestModels.Lexicons, WithVectors(5));
        using var stream = new MemoryStream();
        ModelFile.Write(stream, header, TestModels.Lexicons, idf, trained);

        var loaded = ModerationModel.Load(new MemoryStream(stream.ToArray()));

        Assert.Equal(4, loaded.Header.FormatVersion);
        Assert.Equal(8, loaded.Header.Features.EmbeddingDimensions);
        Assert.Equal(trained.Featuriser.WordVectors!.Vectors, loaded.Classifier!.Featuriser.WordVectors!.Vectors);
        foreach (var text in new[] { "you useless moron", "lovely photos of the concert", "pathetic clown" })
        {
            var normalised = TextNormaliser.Normalise(text);
            var expected = new double[LinearClassifier.HeadCount];
            var actual = new double[LinearClassifier.HeadCount];
            trained.Logits(normalised, new DetectionResult(), expected);
            loaded.Classifier.Logits(normalised, new DetectionResult(), actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_model_with_word_vectors_is_byte_identical_when_retrained_and_when_written_again()
    {
        var first = ModelTrainer.TrainToBytes(Corpus(), TestModels.Lexicons, WithVectors(5));
        var second = ModelTrainer.TrainToBytes(Corpus(), TestModels.Lexicons, WithVectors(5));
        var model = ModerationModel.Load(new MemoryStream(first));
        using var again = new MemoryStream();
        ModelFile.Write(again, model.Header, model.Lexicons, model.Classifier!.Featuriser.Idf!, model.Classifier);

        Assert.Equal(SHA256.HashData(first), SHA256.HashData(second));
        Assert.Equal(first, again.ToArray());
    }

    [Fact]
    public void The_word_vector_features_change_the_scores()
    {
        var data = Corpus();
        var plain = ModerationModel.Load(new MemoryStream(ModelTrainer.TrainToBytes(data, TestModels.Lexicons, WithVectors(5) with { Features = WithVectors(5).Features with { EmbeddingDimensions = 0 } })));
        var withVectors = ModerationModel.Load(new MemoryStream(ModelTrainer.TrainToBytes(data, TestModels.Lexicons, WithVectors(5))));

        Assert.Equal(3, plain.Header.FormatVersion);
        Assert.NotEqual(plain.Score("what a useless moron").Scores[Category.Abuse], withVectors.Score("what a useless moron").Scores[Category.Abuse]);
    }

    [Fact]
    public void A_model_file_whose_vectors_do_not_match_the_feature_settings_is_refused()
    {
        var settings = FeatureSettings.Default with { HashBits = 12, EmbeddingDimensions = 8 };

        Assert.Throws<InvalidDataException>(() => new Featuriser(settings, null));
        Assert.Throws<InvalidDataException>(() => new WordVectors(8, [1, 2], new float[15]));
    }

    [Fact]
    public void Max_pooling_adds_the_per_dimension_maximum_of_the_words_vectors_after_the_unchanged_mean()
    {
        var vectors = new WordVectors(2, [Featuriser.WordHash("calm"), Featuriser.WordHash("storm")], [1f, 0f, -0.6f, 0.8f]);
        var text = TextNormaliser.Normalise("calm calm calm calm calm storm");
        Span<float> mean = stackalloc float[2];
        Span<float> both = stackalloc float[4];

        vectors.Embed(text, null, 0, mean);
        vectors.Embed(text, null, 0, both);

        Assert.Equal(mean.ToArray(), both[..2].ToArray());
        // The mean (5 - 0.6, 0.8) leans to "calm"; the maximum (1, 0.8), normalised, keeps all of "storm"'s second axis.
        Assert.Equal(1 / Math.Sqrt(1.64), both[2], 5);
        Assert.Equal(0.8 / Math.Sqrt(1.64), both[3], 5);
        Assert.True(both[3] > 2 * mean[1], "the maximum block keeps the lone word's direction that the mean dilutes");
    }

    [Fact]
    public void A_comment_without_any_known_word_has_all_zero_pooled_features()
    {
        var vectors = new WordVectors(2, [Featuriser.WordHash("calm")], [1f, 0f]);
        Span<float> both = stackalloc float[4];
        both.Fill(7f);

        vectors.Embed(TextNormaliser.Normalise("nothing known here"), null, 0, both);

        Assert.Equal(new float[4], both.ToArray());
    }

    [Fact]
    public void A_model_with_max_pooled_vectors_is_format_5_and_scores_after_loading_as_it_did_when_trained()
    {
        var options = WithVectors(5) with { Features = WithVectors(5).Features with { EmbeddingMaxPooling = true } };
        var (header, idf, trained) = ModelTrainer.Train(Corpus(), TestModels.Lexicons, options);
        using var stream = new MemoryStream();
        ModelFile.Write(stream, header, TestModels.Lexicons, idf, trained);

        var loaded = ModerationModel.Load(new MemoryStream(stream.ToArray()));
        var meanOnly = ModerationModel.Load(new MemoryStream(ModelTrainer.TrainToBytes(Corpus(), TestModels.Lexicons, WithVectors(5))));

        Assert.Equal(5, loaded.Header.FormatVersion);
        Assert.True(loaded.Header.Features.EmbeddingMaxPooling);
        Assert.Equal((1 << 12) + FeatureSettings.DetectorFeatures + 16, loaded.Header.Features.Dimensions);
        Assert.Equal(4, meanOnly.Header.FormatVersion);
        var normalised = TextNormaliser.Normalise("you useless moron, honestly the worst");
        var expected = new double[LinearClassifier.HeadCount];
        var actual = new double[LinearClassifier.HeadCount];
        trained.Logits(normalised, new DetectionResult(), expected);
        loaded.Classifier!.Logits(normalised, new DetectionResult(), actual);
        Assert.Equal(expected, actual);
        Assert.NotEqual(meanOnly.Score("you useless moron").Scores[Category.Abuse], loaded.Score("you useless moron").Scores[Category.Abuse]);
    }

    [Fact]
    public void Max_pooling_without_word_vectors_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => (FeatureSettings.Default with { EmbeddingMaxPooling = true }).Validate());
        Assert.Throws<InvalidOperationException>(() => ModelFile.Write(new MemoryStream(), ModelHeader.DetectorsOnly with
        {
            FormatVersion = 4, Features = FeatureSettings.Default with { HashBits = 12, EmbeddingDimensions = 8, EmbeddingMaxPooling = true },
        }, TestModels.Lexicons, new float[1 << 12], ModelTrainer.Train(Corpus(), TestModels.Lexicons, WithVectors(5)).Classifier));
    }
}
