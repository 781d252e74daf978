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

    private readonly float[] _weights;
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
        _weights = weights;
        _bias = bias;
        _calibration = calibration;
    }

    public Featuriser Featuriser { get; }

    internal float[] Weights => _weights;

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

    /// <summary>Raw decision values (before calibration).</summary>
    public void Logits(NormalisedText text, DetectionResult detection, Span<double> logits)
    {
        ArgumentNullException.ThrowIfNull(detection);
        var count = Featuriser.Weigh(text, out var scratch);
        Span<float> sums = stackalloc float[HeadCount];
        for (var h = 0; h < HeadCount; h++)
        {
            sums[h] = _bias[h];
        }

        var weights = _weights.AsSpan();
        var indices = scratch.OutIndices;
        var values = scratch.OutValues;
        for (var k = 0; k < count; k++)
        {
            var row = weights.Slice(indices[k] * HeadCount, HeadCount);
            var value = values[k];
            for (var h = 0; h < HeadCount; h++)
            {
                sums[h] += row[h] * value;
            }
        }

        Span<float> signals = stackalloc float[FeatureSettings.DetectorFeatures];
        Featuriser.DetectorSignals(detection, signals);
        var buckets = Featuriser.Settings.Buckets;
        for (var k = 0; k < signals.Length; k++)
        {
            if (signals[k] == 0)
            {
                continue;
            }

            var row = weights.Slice((buckets + k) * HeadCount, HeadCount);
            for (var h = 0; h < HeadCount; h++)
            {
                sums[h] += row[h] * signals[k];
            }
        }

        for (var h = 0; h < HeadCount; h++)
        {
            logits[h] = sums[h];
        }
    }

    /// <summary>The words whose unigram weights push this head up the most, as spans in the original text.</summary>
    public IReadOnlyList<TextSpan> TopWords(NormalisedText text, int head, int count)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scored = new List<(float Weight, Token Token)>();
        foreach (var token in text.Tokens)
        {
            if ((token.Shape & TokenShape.Numeric) != 0)
            {
                continue;
            }

            var bucket = Featuriser.WordBucket(text.Key(token));
            var weight = _weights[bucket * HeadCount + head];
            if (weight > 0)
            {
                scored.Add((weight, token));
            }
        }

        return scored.OrderByDescending(s => s.Weight).Take(count).OrderBy(s => s.Token.Start).Select(s => text.ToOriginal(s.Token)).ToList();
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
