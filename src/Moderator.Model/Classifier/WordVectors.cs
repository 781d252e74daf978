using System.Numerics;
using System.Runtime.CompilerServices;
using Moderator.Model.Text;

namespace Moderator.Model.Classifier;

/// <summary>
/// Dense word vectors learned from the training texts (see <see cref="Training.WordVectorTrainer"/>), looked up by the
/// 32-bit hash of a word's folded key. A comment's vector is the IDF-weighted mean of its words' vectors, L2
/// normalised: words that occur in the same company get similar vectors, so a phrasing the n-grams never saw can still
/// land near the comments it resembles.
/// </summary>
public sealed class WordVectors
{
    private readonly uint[] _hashes;
    private readonly float[] _vectors;
    private readonly uint[] _slotKeys;
    private readonly int[] _slotRows;
    private readonly int _slotMask;

    public WordVectors(int dimensions, uint[] hashes, float[] vectors)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(vectors);
        if (dimensions <= 0 || vectors.Length != hashes.Length * dimensions)
        {
            throw new InvalidDataException($"Word vectors: {vectors.Length} values do not make {hashes.Length} words of {dimensions} dimensions.");
        }

        Dimensions = dimensions;
        _hashes = hashes;
        _vectors = vectors;
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, hashes.Length * 2));
        _slotKeys = new uint[size];
        _slotRows = new int[size];
        _slotMask = size - 1;
        for (var row = 0; row < hashes.Length; row++)
        {
            var key = SlotKey(hashes[row]);
            var slot = (int)(key & (uint)_slotMask);
            while (_slotKeys[slot] != 0)
            {
                if (_slotKeys[slot] == key)
                {
                    throw new InvalidDataException("Word vectors: a word hash appears twice.");
                }

                slot = (slot + 1) & _slotMask;
            }

            _slotKeys[slot] = key;
            _slotRows[slot] = row;
        }
    }

    public int Dimensions { get; }

    public int Count => _hashes.Length;

    /// <summary>The word hashes in row order, as the model file stores them.</summary>
    internal uint[] Hashes => _hashes;

    /// <summary>The vectors row-major (<see cref="Dimensions"/> per word), as the model file stores them.</summary>
    internal float[] Vectors => _vectors;

    /// <summary>The row of a word hash, or -1 for a word without a vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(uint wordHash)
    {
        var key = SlotKey(wordHash);
        var slot = (int)(key & (uint)_slotMask);
        while (true)
        {
            var found = _slotKeys[slot];
            if (found == key)
            {
                return _slotRows[slot];
            }

            if (found == 0)
            {
                return -1;
            }

            slot = (slot + 1) & _slotMask;
        }
    }

    /// <summary>
    /// Writes the comment's vector into <paramref name="output"/>: the mean of its words' vectors weighted by each
    /// word's IDF (1 without IDF), L2 normalised, in the first <see cref="Dimensions"/> values. When
    /// <paramref name="output"/> is twice as long, the second half holds the per-dimension maximum of the same weighted
    /// vectors, L2 normalised on its own: one strong passage in a long comment survives there, where the mean dilutes
    /// it. All zeros when no word has a vector.
    /// </summary>
    public void Embed(NormalisedText text, float[]? idf, int bucketMask, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (output.Length != Dimensions && output.Length != 2 * Dimensions)
        {
            throw new ArgumentException($"Expected {Dimensions} or {2 * Dimensions} values.", nameof(output));
        }

        output.Clear();
        var mean = output[..Dimensions];
        var max = output.Length > Dimensions ? output[Dimensions..] : Span<float>.Empty;
        max.Fill(float.NegativeInfinity);
        var tokens = text.Tokens;
        var any = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if ((token.Shape & TokenShape.Numeric) != 0)
            {
                continue;
            }

            var hash = Featuriser.WordHash(text.Key(token));
            var row = Row(hash);
            if (row < 0)
            {
                continue;
            }

            var weight = idf is null ? 1f : idf[(int)(hash & (uint)bucketMask)];
            Accumulate(_vectors.AsSpan(row * Dimensions, Dimensions), weight, mean, max);
            any = true;
        }

        if (!any)
        {
            output.Clear();
            return;
        }

        Normalise(mean);
        Normalise(max);
    }

    /// <summary>
    /// mean += weight · vector and, when <paramref name="max"/> is not empty, max = max(max, weight · vector), a SIMD
    /// register at a time. Each lane does the scalar loop's arithmetic in the same order (multiply, then add), so the
    /// sums are the same to the bit; a maximum differs from Math.Max only in the sign of a zero, which no later step sees.
    /// </summary>
    private static void Accumulate(ReadOnlySpan<float> vector, float weight, Span<float> mean, Span<float> max)
    {
        var d = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var weights = new Vector<float>(weight);
            for (; d <= vector.Length - Vector<float>.Count; d += Vector<float>.Count)
            {
                var weighted = new Vector<float>(vector[d..]) * weights;
                (new Vector<float>(mean[d..]) + weighted).CopyTo(mean[d..]);
                if (!max.IsEmpty)
                {
                    Vector.Max(new Vector<float>(max[d..]), weighted).CopyTo(max[d..]);
                }
            }
        }

        for (; d < vector.Length; d++)
        {
            var weighted = weight * vector[d];
            mean[d] += weighted;
            if (!max.IsEmpty)
            {
                max[d] = Math.Max(max[d], weighted);
            }
        }
    }

    private static void Normalise(Span<float> values)
    {
        double norm = 0;
        foreach (var v in values)
        {
            norm += v * v;
        }

        if (norm <= 0)
        {
            return;
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var d = 0; d < values.Length; d++)
        {
            values[d] *= scale;
        }
    }

    /// <summary>0 marks an empty slot, so the one hash that is 0 is stored as 1 (a collision the vocabulary check would report).</summary>
    private static uint SlotKey(uint hash) => hash == 0 ? 1u : hash;
}
