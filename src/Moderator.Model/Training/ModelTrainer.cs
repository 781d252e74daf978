using System.Security.Cryptography;
using System.Text;
using Moderator.Model.Classifier;
using Moderator.Model.Detection;
using Moderator.Model.Text;

namespace Moderator.Model.Training;

/// <summary>Options for one training run.</summary>
public sealed record TrainingOptions(string Version, FeatureSettings Features, TrainingSettings Training, bool UseDetectors = true)
{
    public static TrainingOptions Default(string version) => new(version, FeatureSettings.Default, TrainingSettings.Default);

    /// <summary>What `moderator train` uses unless told otherwise: the committed model file's settings.</summary>
    public static TrainingOptions Product(string version) => new(version, FeatureSettings.Product, TrainingSettings.Product);
}

/// <summary>
/// Trains the one-vs-rest logistic regression with AdaGrad and L2 regularisation on hashed TF-IDF features plus the
/// detector signals, fits Platt calibration on out-of-fold predictions, and writes the model file. Single-threaded
/// and seeded, so the same data and settings give byte-identical files.
/// </summary>
public static class ModelTrainer
{
    public static byte[] TrainToBytes(IReadOnlyList<LabelledComment> examples, LexiconSet lexicons, TrainingOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (header, idf, classifier) = Train(examples, lexicons, options, log);
        using var stream = new MemoryStream();
        ModelFile.Write(stream, header, lexicons, idf, classifier);
        return stream.ToArray();
    }

    public static (ModelHeader Header, float[] Idf, LinearClassifier Classifier) Train(
        IReadOnlyList<LabelledComment> examples, LexiconSet lexicons, TrainingOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(lexicons);
        ArgumentNullException.ThrowIfNull(options);
        options.Features.Validate();
        if (examples.Count == 0)
        {
            throw new ArgumentException("No training examples.", nameof(examples));
        }

        var settings = options.Training;
        var dataHash = DataHash(examples, lexicons);
        log?.Invoke($"training on {examples.Count} examples, data sha256 {dataHash[..16]}…");

        var texts = examples.Select(example => TextNormaliser.Normalise(example.Text)).ToArray();
        var idf = InverseDocumentFrequencies(texts, options.Features);

        // Word vectors are learned from the training texts without their labels, before any fold is drawn.
        var wordVectors = options.Features.EmbeddingDimensions > 0
            ? WordVectorTrainer.Train(texts, new WordVectorTrainer.Settings(options.Features.EmbeddingDimensions), settings.Seed)
            : null;
        if (wordVectors is not null)
        {
            log?.Invoke($"word vectors: {wordVectors.Count} words, {wordVectors.Dimensions} dimensions");
        }

        var featuriser = new Featuriser(options.Features, idf, wordVectors);
        var vectors = new SparseVector[examples.Count];
        var labels = new int[examples.Count];
        var weights = new float[examples.Count];
        var headMasks = new int[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var normalised = texts[i];
            var detection = options.UseDetectors ? ModerationModel.Detect(normalised, lexicons, null) : new DetectionResult();
            vectors[i] = featuriser.Features(normalised, detection);
            labels[i] = examples[i].Labels;
            weights[i] = !examples[i].IsSchool ? 1f
                : examples[i].IsFlagged ? (float)settings.SchoolWeight
                : (float)(settings.SchoolWeight * settings.CleanWeight);

            // The public datasets say nothing about grooming, self-harm, pupils' details, spam or complaints: for those
            // heads a tweet is unlabelled, not a negative, unless PublicNegativeWeight makes a clean tweet a light
            // negative there (measured in models/MODEL_CARD.md; off by default). An offensive tweet stays unlabelled:
            // "I'll find you and end you" is offensive to the annotators and may well be a threat to us.
            headMasks[i] = examples[i].IsSchool ? AllHeads
                : settings.PublicNegativeWeight > 0 && !examples[i].IsFlagged ? PublicDataHeads | PublicNegativeHeads
                : PublicDataHeads;
        }

        log?.Invoke("features ready");
        var positiveWeights = PositiveWeights(labels, weights, headMasks, (float)settings.PublicNegativeWeight);

        // Out-of-fold decision values for calibration.
        var folds = Math.Max(2, settings.CalibrationFolds);
        var fold = FoldAssignment(examples.Count, folds, settings.Seed);
        var outOfFold = new double[examples.Count * LinearClassifier.HeadCount];
        for (var k = 0; k < folds; k++)
        {
            var train = Enumerable.Range(0, examples.Count).Where(i => fold[i] != k).ToArray();
            var (w, b) = Fit(vectors, labels, weights, headMasks, positiveWeights, train, options.Features.Dimensions, settings, settings.Seed + k + 1);
            for (var i = 0; i < examples.Count; i++)
            {
                if (fold[i] == k)
                {
                    Decision(vectors[i], w, b, outOfFold.AsSpan(i * LinearClassifier.HeadCount, LinearClassifier.HeadCount));
                }
            }

            log?.Invoke($"calibration fold {k + 1}/{folds} done");
        }

        // Calibrate on the school comments only when there are any: the product scores school-page comments, and
        // the base rates of public tweets would shrink every probability.
        var calibrationRows = Enumerable.Range(0, examples.Count).Where(i => examples[i].IsSchool).ToArray();
        if (calibrationRows.Length == 0)
        {
            calibrationRows = Enumerable.Range(0, examples.Count).ToArray();
        }

        var calibration = new PlattScaling[LinearClassifier.HeadCount];
        var z = new double[calibrationRows.Length];
        var y = new bool[calibrationRows.Length];
        for (var h = 0; h < LinearClassifier.HeadCount; h++)
        {
            for (var r = 0; r < calibrationRows.Length; r++)
            {
                var i = calibrationRows[r];
                z[r] = outOfFold[i * LinearClassifier.HeadCount + h];
                y[r] = (labels[i] & (1 << h)) != 0;
            }

            calibration[h] = PlattScaling.Fit(z, y);
        }

        var all = Enumerable.Range(0, examples.Count).ToArray();
        var (finalWeights, finalBias) = Fit(vectors, labels, weights, headMasks, positiveWeights, all, options.Features.Dimensions, settings, settings.Seed);
        log?.Invoke("final model trained");

        // Round through float16 now so the in-memory classifier equals the one loaded from the file.
        for (var i = 0; i < finalWeights.Length; i++)
        {
            finalWeights[i] = (float)(Half)finalWeights[i];
        }

        for (var i = 0; i < idf.Length; i++)
        {
            idf[i] = (float)(Half)idf[i];
        }

        var header = new ModelHeader(ModelHeader.FormatFor(options.Features), options.Version, dataHash, examples.Count, options.Features, settings);
        var classifier = new LinearClassifier(featuriser, finalWeights, finalBias, calibration);
        return (header, idf, classifier);
    }

    /// <summary>SHA-256 over the labelled examples in order and the lexicon files: the "hash of the training data" in the header.</summary>
    public static string DataHash(IReadOnlyList<LabelledComment> examples, LexiconSet lexicons)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(lexicons);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var example in examples)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{example.Labels}\t{(example.IsSchool ? 1 : 0)}\t{example.Text}\n"));
        }

        foreach (var (name, text) in lexicons.Files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\n{text}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static float[] InverseDocumentFrequencies(NormalisedText[] texts, FeatureSettings features)
    {
        var counter = new Featuriser(features with { EmbeddingDimensions = 0 }, null);
        var df = new int[features.Buckets];
        foreach (var text in texts)
        {
            var counts = counter.Counts(text);
            foreach (var index in counts.Indices.Distinct())
            {
                df[index]++;
            }
        }

        var idf = new float[features.Buckets];
        var n = texts.Length;
        for (var b = 0; b < idf.Length; b++)
        {
            idf[b] = (float)(Math.Log((n + 1.0) / (df[b] + 1.0)) + 1.0);
        }

        return idf;
    }

    /// <summary>Up-weights the rare positives of each head (square root of the imbalance, at most 10).</summary>
    private const int AllHeads = (1 << LinearClassifier.HeadCount) - 1;
    private const int PublicDataHeads = (1 << (int)Category.Hate) | (1 << (int)Category.Abuse) | (1 << (int)Category.Offensive);
    private const int PublicNegativeHeads = (1 << (int)Category.Safeguarding) | (1 << (int)Category.PupilIdentification) | (1 << (int)Category.Spam);

    /// <summary>How much a row counts as a negative of head <paramref name="h"/>: a public row counts less for the school-only heads.</summary>
    private static float NegativeScale(int headMask, int h, float publicNegativeWeight) =>
        (headMask & (1 << LinearClassifier.ComplaintHead)) == 0 && (PublicNegativeHeads & (1 << h)) != 0 ? publicNegativeWeight : 1f;

    private static float[] PositiveWeights(int[] labels, float[] weights, int[] headMasks, float publicNegativeWeight)
    {
        var result = new float[LinearClassifier.HeadCount];
        for (var h = 0; h < LinearClassifier.HeadCount; h++)
        {
            double positive = 0, negative = 0;
            for (var i = 0; i < labels.Length; i++)
            {
                if ((headMasks[i] & (1 << h)) == 0)
                {
                    continue;
                }

                if ((labels[i] & (1 << h)) != 0)
                {
                    positive += weights[i];
                }
                else
                {
                    negative += weights[i] * NegativeScale(headMasks[i], h, publicNegativeWeight);
                }
            }

            result[h] = positive == 0 ? 1f : (float)Math.Clamp(Math.Sqrt(negative / positive), 1, 10);
        }

        return result;
    }

    private static int[] FoldAssignment(int count, int folds, int seed)
    {
        var order = Shuffled(count, new Random(seed ^ 0x5EED));
        var fold = new int[count];
        for (var i = 0; i < count; i++)
        {
            fold[order[i]] = i % folds;
        }

        return fold;
    }

    private static int[] Shuffled(int count, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    internal static void Decision(SparseVector x, float[] w, float[] b, Span<double> output)
    {
        const int heads = LinearClassifier.HeadCount;
        Span<double> z = stackalloc double[heads];
        for (var h = 0; h < heads; h++)
        {
            z[h] = b[h];
        }

        for (var k = 0; k < x.Count; k++)
        {
            var row = x.Indices[k] * heads;
            var v = x.Values[k];
            for (var h = 0; h < heads; h++)
            {
                z[h] += w[row + h] * v;
            }
        }

        z.CopyTo(output);
    }

    /// <summary>AdaGrad on the weighted logistic loss with L2 on the touched weights; rows in a seeded order per epoch.</summary>
    private static (float[] Weights, float[] Bias) Fit(
        SparseVector[] vectors, int[] labels, float[] sampleWeights, int[] headMasks, float[] positiveWeights, int[] rows, int dimensions, TrainingSettings settings, int seed)
    {
        const int heads = LinearClassifier.HeadCount;
        var w = new float[dimensions * heads];
        var g2 = new float[dimensions * heads];
        var b = new float[heads];
        var gb = new float[heads];
        var random = new Random(seed);
        var lr = (float)settings.LearningRate;
        var publicNegativeWeight = (float)settings.PublicNegativeWeight;
        var l2 = (float)settings.L2;
        Span<double> z = stackalloc double[heads];
        Span<float> gradient = stackalloc float[heads];
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            var order = Shuffled(rows.Length, random);
            foreach (var position in order)
            {
                var i = rows[position];
                var x = vectors[i];
                Decision(x, w, b, z);
                for (var h = 0; h < heads; h++)
                {
                    if ((headMasks[i] & (1 << h)) == 0)
                    {
                        gradient[h] = 0;
                        continue;
                    }

                    var positive = (labels[i] & (1 << h)) != 0;
                    var p = 1 / (1 + Math.Exp(-z[h]));
                    gradient[h] = (float)((p - (positive ? 1 : 0)) * sampleWeights[i] * (positive ? positiveWeights[h] : NegativeScale(headMasks[i], h, publicNegativeWeight)));
                    gb[h] += gradient[h] * gradient[h];
                    b[h] -= lr * gradient[h] / (MathF.Sqrt(gb[h]) + 1e-6f);
                }

                for (var k = 0; k < x.Count; k++)
                {
                    var row = x.Indices[k] * heads;
                    var v = x.Values[k];
                    for (var h = 0; h < heads; h++)
                    {
                        var j = row + h;
                        var grad = gradient[h] * v + l2 * w[j];
                        if (grad == 0)
                        {
                            continue;
                        }

                        g2[j] += grad * grad;
                        w[j] -= lr * grad / (MathF.Sqrt(g2[j]) + 1e-6f);
                    }
                }
            }
        }

        return (w, b);
    }
}
