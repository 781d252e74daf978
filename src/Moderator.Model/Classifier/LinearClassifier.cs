using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Moderator.Model.Detection;
using Moderator.Model.Text;

namespace Moderator.Model.Classifier;

/// <summary>
/// One-vs-rest logistic regression over the hashed features: one head per category plus a "complaint" head,
/// each with Platt calibration (p = 1 / (1 + exp(A·z + B))) fitted on out-of-fold predictions.
/// Weights are laid out feature-major so one bucket read serves every head.
/// </summary>
public sealed class LinearClassifier
{
    /// <summary>Six categories (in <see cref="Category"/> order) and the complaint tag.</summary>
    public const int HeadCount = 7;

    public const int ComplaintHead = 6;

    public static IReadOnlyList<string> HeadNames { get; } =
        [.. Categories.All.Select(c => c.CodeName()), ModelAssessment.ComplaintTag];

    /// <summary>Floats per bucket in <see cref="_rows"/>: the seven head weights and the bucket's IDF, one 32-byte row.</summary>
    private const int RowWidth = 8;

    private const int IdfLane = 7;

    /// <summary>
    /// Weights and IDF interleaved per bucket, 32-byte aligned, so scoring a feature reads one cache line instead of
    /// two or three (the weight row and the IDF table are both far larger than the CPU caches).
    /// </summary>
    private readonly float[] _rows;

    private readonly int _rowsOffset;
    private readonly int _dimensions;
    private readonly float[] _bias;
    private readonly PlattScaling[] _calibration;

    public LinearClassifier(Featuriser featuriser, float[] weights, float[] bias, PlattScaling[] calibration)
    {
        ArgumentNullException.ThrowIfNull(featuriser);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(calibration);
        if (weights.Length != featuriser.Settings.Dimensions * HeadCount || bias.Length != HeadCount || calibration.Length != HeadCount)
        {
            throw new InvalidDataException("Classifier weights do not match the feature settings.");
        }

        Featuriser = featuriser;
        _dimensions = featuriser.Settings.Dimensions;
        (_rows, _rowsOffset) = BuildRows(weights, featuriser.Idf, _dimensions);
        _bias = bias;
        _calibration = calibration;
    }

    public Featuriser Featuriser { get; }

    /// <summary>The weights feature-major (<see cref="HeadCount"/> per feature), as the model file stores them.</summary>
    internal float[] Weights
    {
        get
        {
            var weights = new float[_dimensions * HeadCount];
            for (var b = 0; b < _dimensions; b++)
            {
                _rows.AsSpan(_rowsOffset + b * RowWidth, HeadCount).CopyTo(weights.AsSpan(b * HeadCount, HeadCount));
            }

            return weights;
        }
    }

    internal float[] Bias => _bias;

    internal PlattScaling[] Calibration => _calibration;

    /// <summary>Calibrated probabilities for every head.</summary>
    public void Predict(NormalisedText text, DetectionResult detection, Span<double> probabilities)
    {
        Span<double> logits = stackalloc double[HeadCount];
        Logits(text, detection, logits);
        for (var h = 0; h < HeadCount; h++)
        {
            probabilities[h] = _calibration[h].Probability(logits[h]);
        }
    }

    /// <summary>
    /// Raw decision values (before calibration). The same arithmetic, in the same order, as
    /// <see cref="Featuriser.Features"/> followed by a dot product per head, with the IDF read from the weight rows.
    /// </summary>
    public void Logits(NormalisedText text, DetectionResult detection, Span<double> logits)
    {
        ArgumentNullException.ThrowIfNull(detection);
        var scratch = Featuriser.Collect(text);
        var count = scratch.Used;
        scratch.EnsureOut(count);
        var keys = scratch.Keys;
        var slots = scratch.UsedSlots;
        var counts = scratch.Counts;
        var outKeys = scratch.OutIndices;
        var values = scratch.OutValues;
        ref var rows = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rows), _rowsOffset);
        var buckets = Featuriser.Settings.Buckets;
        double wordNorm = 0;
        double charNorm = 0;
        for (var k = 0; k < count; k++)
        {
            var slot = slots[k];
            var key = keys[slot];
            var index = key & int.MaxValue;
            if ((uint)index >= (uint)buckets)
            {
                throw new InvalidOperationException("A feature bucket is out of range.");
            }

            var occurrences = counts[slot];
            var tf = occurrences == 1 ? 1f : (float)(1 + Math.Log(occurrences));
            var value = tf * Unsafe.Add(ref rows, index * RowWidth + IdfLane);
            outKeys[k] = key;
            values[k] = value;
            if (key < 0)
            {
                charNorm += value * value;
            }
            else
            {
                wordNorm += value * value;
            }
        }

        var wordScale = wordNorm > 0 ? (float)(1 / Math.Sqrt(wordNorm)) : 0f;
        var charScale = charNorm > 0 ? (float)(1 / Math.Sqrt(charNorm)) : 0f;
        var low = Vector128.Create(_bias[0], _bias[1], _bias[2], _bias[3]);
        var high = Vector128.Create(_bias[4], _bias[5], _bias[6], 0f);
        for (var k = 0; k < count; k++)
        {
            var key = outKeys[k];
            var value = values[k] * (key < 0 ? charScale : wordScale);
            var row = (nuint)((key & int.MaxValue) * RowWidth);
            low += Vector128.LoadUnsafe(ref rows, row) * value;
            high += Vector128.LoadUnsafe(ref rows, row + 4) * value;
        }

        Span<float> signals = stackalloc float[FeatureSettings.DetectorFeatures];
        Featuriser.DetectorSignals(detection, signals);
        AddDense(ref low, ref high, ref rows, buckets, signals);

        var wordVectors = Featuriser.WordVectors;
        if (wordVectors is not null)
        {
            Span<float> vector = stackalloc float[Featuriser.Settings.EmbeddingFeatures];
            wordVectors.Embed(text, Featuriser.Idf, buckets - 1, vector);
            AddDense(ref low, ref high, ref rows, Featuriser.EmbeddingOffset, vector);
        }

        Span<float> sums = stackalloc float[RowWidth];
        low.CopyTo(sums);
        high.CopyTo(sums[4..]);
        for (var h = 0; h < HeadCount; h++)
        {
            logits[h] = sums[h];
        }
    }

    /// <summary>
    /// Adds dense features (detector signals, word-vector blocks) starting at <paramref name="firstFeature"/> to the head
    /// sums, a row (all heads) at a time as the sparse features are added: each head's sum gets the same products in the
    /// same order as a per-head loop would give it. The IDF lane's sum is never read.
    /// </summary>
    private static void AddDense(ref Vector128<float> low, ref Vector128<float> high, ref float rows, int firstFeature, ReadOnlySpan<float> values)
    {
        for (var k = 0; k < values.Length; k++)
        {
            var value = values[k];
            if (value == 0)
            {
                continue;
            }

            var row = (nuint)((firstFeature + k) * RowWidth);
            low += Vector128.LoadUnsafe(ref rows, row) * value;
            high += Vector128.LoadUnsafe(ref rows, row + 4) * value;
        }
    }

    /// <summary>Copies the weights into 32-byte rows with the bucket's IDF (1 without IDF) in the last lane, in a pinned array aligned to 32 bytes.</summary>
    private static (float[] Rows, int Offset) BuildRows(float[] weights, float[]? idf, int dimensions)
    {
        var rows = GC.AllocateUninitializedArray<float>(dimensions * RowWidth + RowWidth, pinned: true);
        var address = (long)Marshal.UnsafeAddrOfPinnedArrayElement(rows, 0);
        var offset = (int)((RowWidth * sizeof(float) - (address % (RowWidth * sizeof(float)))) % (RowWidth * sizeof(float)) / sizeof(float));
        var target = rows.AsSpan(offset);
        for (var b = 0; b < dimensions; b++)
        {
            var row = target.Slice(b * RowWidth, RowWidth);
            weights.AsSpan(b * HeadCount, HeadCount).CopyTo(row);
            row[IdfLane] = idf is not null && b < idf.Length ? idf[b] : 1f;
        }

        return (rows, offset);
    }

    /// <summary>The words whose unigram weights push this head up the most, as spans in the original text.</summary>
    public IReadOnlyList<TextSpan> TopWords(NormalisedText text, int head, int count)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TopWords(text, WordBuckets(text), head, count);
    }

    /// <summary>The unigram bucket of every token (-1 for numbers), to share between the heads of one comment.</summary>
    internal int[] WordBuckets(NormalisedText text)
    {
        var tokens = text.Tokens;
        var buckets = new int[tokens.Count];
        for (var t = 0; t < buckets.Length; t++)
        {
            var token = tokens[t];
            buckets[t] = (token.Shape & TokenShape.Numeric) != 0 ? -1 : Featuriser.WordBucket(text.Key(token));
        }

        return buckets;
    }

    /// <summary>As <see cref="TopWords(NormalisedText, int, int)"/> with the buckets from <see cref="WordBuckets"/>.</summary>
    internal IReadOnlyList<TextSpan> TopWords(NormalisedText text, int[] wordBuckets, int head, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        // The heaviest words first, the earlier word first among equal weights; then shown in text order.
        Span<float> bestWeights = count <= 16 ? stackalloc float[count] : new float[count];
        Span<int> bestTokens = count <= 16 ? stackalloc int[count] : new int[count];
        var found = 0;
        var tokens = text.Tokens;
        for (var t = 0; t < wordBuckets.Length; t++)
        {
            var bucket = wordBuckets[t];
            if (bucket < 0)
            {
                continue;
            }

            var weight = _rows[_rowsOffset + bucket * RowWidth + head];
            if (!(weight > 0) || (found == count && !(weight > bestWeights[found - 1])))
            {
                continue;
            }

            var at = found == count ? count - 1 : found++;
            while (at > 0 && weight > bestWeights[at - 1])
            {
                bestWeights[at] = bestWeights[at - 1];
                bestTokens[at] = bestTokens[at - 1];
                at--;
            }

            bestWeights[at] = weight;
            bestTokens[at] = t;
        }

        var chosen = bestTokens[..found];
        chosen.Sort();
        var spans = new TextSpan[found];
        for (var k = 0; k < found; k++)
        {
            spans[k] = text.ToOriginal(tokens[chosen[k]]);
        }

        return spans;
    }
}

/// <summary>Platt scaling: p = 1 / (1 + exp(A·z + B)).</summary>
public readonly record struct PlattScaling(double A, double B)
{
    public static PlattScaling Identity { get; } = new(-1, 0);

    public double Probability(double logit)
    {
        var t = A * logit + B;
        return t >= 0 ? Math.Exp(-t) / (1 + Math.Exp(-t)) : 1 / (1 + Math.Exp(t));
    }

    /// <summary>Fits A and B by Newton's method on the regularised targets of Platt (1999), deterministic.</summary>
    public static PlattScaling Fit(ReadOnlySpan<double> logits, ReadOnlySpan<bool> labels)
    {
        var positives = 0;
        foreach (var label in labels)
        {
            if (label)
            {
                positives++;
            }
        }

        var negatives = labels.Length - positives;
        if (positives == 0)
        {
            // Never seen: (almost) never predicted, whatever the decision value.
            return new PlattScaling(0, 20);
        }

        if (negatives == 0)
        {
            return new PlattScaling(0, -20);
        }

        var hiTarget = (positives + 1.0) / (positives + 2.0);
        var loTarget = 1.0 / (negatives + 2.0);
        double a = 0;
        var b = Math.Log((negatives + 1.0) / (positives + 1.0));
        const double sigma = 1e-12;
        var fval = Objective(logits, labels, a, b, hiTarget, loTarget);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < logits.Length; i++)
            {
                var t = labels[i] ? hiTarget : loTarget;
                var fApB = logits[i] * a + b;
                double p, q;
                if (fApB >= 0)
                {
                    p = Math.Exp(-fApB) / (1 + Math.Exp(-fApB));
                    q = 1 / (1 + Math.Exp(-fApB));
                }
                else
                {
                    p = 1 / (1 + Math.Exp(fApB));
                    q = Math.Exp(fApB) / (1 + Math.Exp(fApB));
                }

                var d2 = p * q;
                h11 += logits[i] * logits[i] * d2;
                h22 += d2;
                h21 += logits[i] * d2;
                var d1 = t - p;
                g1 += logits[i] * d1;
                g2 += d1;
            }

            if (Math.Abs(g1) < 1e-5 && Math.Abs(g2) < 1e-5)
            {
                break;
            }

            var det = h11 * h22 - h21 * h21;
            var dA = -(h22 * g1 - h21 * g2) / det;
            var dB = -(-h21 * g1 + h11 * g2) / det;
            var gd = g1 * dA + g2 * dB;
            var step = 1.0;
            while (step >= 1e-10)
            {
                var newA = a + step * dA;
                var newB = b + step * dB;
                var newF = Objective(logits, labels, newA, newB, hiTarget, loTarget);
                if (newF < fval + 1e-4 * step * gd)
                {
                    a = newA;
                    b = newB;
                    fval = newF;
                    break;
                }

                step /= 2;
            }

            if (step < 1e-10)
            {
                break;
            }
        }

        return new PlattScaling(a, b);
    }

    private static double Objective(ReadOnlySpan<double> logits, ReadOnlySpan<bool> labels, double a, double b, double hi, double lo)
    {
        double f = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var t = labels[i] ? hi : lo;
            var fApB = logits[i] * a + b;
            f += fApB >= 0 ? t * fApB + Math.Log(1 + Math.Exp(-fApB)) : (t - 1) * fApB + Math.Log(1 + Math.Exp(fApB));
        }

        return f;
    }
}
