using System.Runtime.CompilerServices;
using Moderator.Model.Detection;
using Moderator.Model.Text;

namespace Moderator.Model.Classifier;

/// <summary>
/// Hashed n-gram features. Counts go into a reusable open-addressing table (no per-comment dictionaries), then
/// TF-IDF weights and L2 normalisation are applied per group (words, characters), as ML.NET's FeaturizeText does.
/// </summary>
public sealed class Featuriser
{
    private const uint WordSeed = 0x9E3779B1;
    private const uint BigramSeed = 0x85EBCA77;
    private const uint CharSeed = 0xC2B2AE3D;
    private const int MaxTokenForChars = 32;

    private readonly FeatureSettings _settings;
    private readonly float[]? _idf;
    private readonly int _mask;

    [ThreadStatic]
    private static Scratch? t_scratch;

    public Featuriser(FeatureSettings settings, float[]? idf, WordVectors? wordVectors = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if ((wordVectors?.Dimensions ?? 0) != settings.EmbeddingDimensions)
        {
            throw new InvalidDataException($"The feature settings ask for {settings.EmbeddingDimensions} word-vector dimensions; {wordVectors?.Dimensions ?? 0} were given.");
        }

        _settings = settings;
        _idf = idf;
        _mask = settings.Buckets - 1;
        WordVectors = wordVectors;
    }

    public FeatureSettings Settings => _settings;

    /// <summary>The learned word vectors whose comment mean follows the detector signals (null: none).</summary>
    public WordVectors? WordVectors { get; }

    /// <summary>The first word-vector feature: after the hashed buckets and the detector signals.</summary>
    public int EmbeddingOffset => _settings.Buckets + FeatureSettings.DetectorFeatures;

    /// <summary>The inverse document frequency per bucket (null: every bucket weighs 1).</summary>
    internal float[]? Idf => _idf;

    /// <summary>Raw term counts per bucket (no IDF, no normalisation), for document frequencies in training.</summary>
    public SparseVector Counts(NormalisedText text)
    {
        var scratch = Collect(text);
        var indices = new int[scratch.Used];
        var values = new float[scratch.Used];
        for (var k = 0; k < scratch.Used; k++)
        {
            var slot = scratch.UsedSlots[k];
            indices[k] = scratch.Keys[slot] & int.MaxValue;
            values[k] = scratch.Counts[slot];
        }

        return new SparseVector(indices, values);
    }

    /// <summary>The full feature vector: weighted, normalised n-grams, detector signals and the comment's word vector.</summary>
    public SparseVector Features(NormalisedText text, DetectionResult detection)
    {
        ArgumentNullException.ThrowIfNull(detection);
        var count = Weigh(text, out var scratch);
        var embedding = _settings.EmbeddingFeatures;
        var indices = new int[count + FeatureSettings.DetectorFeatures + embedding];
        var values = new float[count + FeatureSettings.DetectorFeatures + embedding];
        Array.Copy(scratch.OutIndices, indices, count);
        Array.Copy(scratch.OutValues, values, count);
        var n = count;
        Span<float> signals = stackalloc float[FeatureSettings.DetectorFeatures];
        DetectorSignals(detection, signals);
        for (var k = 0; k < signals.Length; k++)
        {
            if (signals[k] != 0)
            {
                indices[n] = _settings.Buckets + k;
                values[n] = signals[k];
                n++;
            }
        }

        if (WordVectors is not null)
        {
            Span<float> vector = stackalloc float[embedding];
            WordVectors.Embed(text, _idf, _mask, vector);
            for (var d = 0; d < vector.Length; d++)
            {
                if (vector[d] != 0)
                {
                    indices[n] = EmbeddingOffset + d;
                    values[n] = vector[d];
                    n++;
                }
            }
        }

        if (n < indices.Length)
        {
            return new SparseVector(indices[..n], values[..n]);
        }

        return new SparseVector(indices, values);
    }

    /// <summary>Computes weighted features into the thread's scratch buffers; returns how many.</summary>
    internal int Weigh(NormalisedText text, out Scratch scratch)
    {
        scratch = Collect(text);
        var count = scratch.Used;
        scratch.EnsureOut(count);
        double wordNorm = 0;
        double charNorm = 0;
        for (var k = 0; k < count; k++)
        {
            var slot = scratch.UsedSlots[k];
            var key = scratch.Keys[slot];
            var index = key & int.MaxValue;
            var occurrences = scratch.Counts[slot];
            var tf = occurrences == 1 ? 1f : (float)(1 + Math.Log(occurrences));
            var value = tf * (_idf is null ? 1f : _idf[index]);
            scratch.OutIndices[k] = index;
            scratch.OutValues[k] = value;
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
        for (var k = 0; k < count; k++)
        {
            var key = scratch.Keys[scratch.UsedSlots[k]];
            scratch.OutValues[k] *= key < 0 ? charScale : wordScale;
        }

        return count;
    }

    public static void DetectorSignals(DetectionResult detection, Span<float> signals)
    {
        ArgumentNullException.ThrowIfNull(detection);
        foreach (var category in Categories.All)
        {
            signals[(int)category] = (float)detection.MaxScore(category);
        }

        signals[6] = detection.HasLink ? 1 : 0;
        signals[7] = detection.HasSchoolContext ? 1 : 0;
        signals[8] = Math.Min(detection.ComplaintSignals, 3) / 3f;
    }

    /// <summary>The bucket of a word unigram (used to explain which words drove a score).</summary>
    public int WordBucket(ReadOnlySpan<char> key) => (int)(Hash(WordSeed, key) & (uint)_mask);

    /// <summary>The full 32-bit hash of a word's folded key (its unigram bucket is the low bits); word vectors are keyed by it.</summary>
    public static uint WordHash(ReadOnlySpan<char> key) => Hash(WordSeed, key);

    /// <summary>Counts the n-grams of the text into the thread's scratch table (valid until the next call on this thread).</summary>
    internal Scratch Collect(NormalisedText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scratch = t_scratch ??= new Scratch();
        scratch.Reset(text.Folded.Length * 5 + text.Tokens.Count * 4 + 64);
        var tokens = text.Tokens;
        var previous = 0u;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var key = (token.Shape & TokenShape.Numeric) != 0 ? NumberShape(token.Length) : text.Key(token);
            var wordHash = Hash(WordSeed, key);
            scratch.Add((int)(wordHash & (uint)_mask));
            if (_settings.WordNgramMax >= 2 && i > 0)
            {
                scratch.Add((int)(Mix(previous * 31 + wordHash + BigramSeed) & (uint)_mask));
            }

            previous = wordHash;
            if ((token.Shape & TokenShape.Numeric) == 0 && _settings.CharNgramMax > 0)
            {
                AddCharGrams(scratch, key);
            }
        }

        return scratch;
    }

    private void AddCharGrams(Scratch scratch, ReadOnlySpan<char> key)
    {
        if (key.Length > MaxTokenForChars)
        {
            key = key[..MaxTokenForChars];
        }

        // Word boundaries are marked with a space on each side: " cat " gives " c", "ca", "at", "t ", " ca", ...
        var length = key.Length + 2;
        var min = _settings.CharNgramMin;
        var max = _settings.CharNgramMax;
        for (var start = 0; start < length; start++)
        {
            var h = CharSeed;
            for (var n = 1; n <= max && start + n <= length; n++)
            {
                var position = start + n - 1;
                var c = position == 0 || position == length - 1 ? ' ' : key[position - 1];
                h = (h ^ c) * 16777619u;
                if (n >= min)
                {
                    // The sign bit marks character features so the two groups normalise separately.
                    scratch.Add((int)(Mix(h + (uint)n) & (uint)_mask) | int.MinValue);
                }
            }
        }
    }

    private static ReadOnlySpan<char> NumberShape(int length) => length switch
    {
        1 => "<n1>",
        2 => "<n2>",
        <= 4 => "<n4>",
        _ => "<n5+>",
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Hash(uint seed, ReadOnlySpan<char> text)
    {
        var h = 2166136261u ^ seed;
        foreach (var c in text)
        {
            h = (h ^ c) * 16777619u;
        }

        return Mix(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x7FEB352D;
        h ^= h >> 15;
        h *= 0x846CA68B;
        h ^= h >> 16;
        return h;
    }

    /// <summary>Per-thread buffers: an open-addressing count table stamped per use, so nothing is cleared or allocated per comment.</summary>
    internal sealed class Scratch
    {
        public int[] Keys = new int[1024];
        public int[] Stamps = new int[1024];
        public float[] Counts = new float[1024];
        public int[] UsedSlots = new int[512];
        public int[] OutIndices = new int[512];
        public float[] OutValues = new float[512];
        public int Used;
        private int _stamp;
        private int _mask = 1023;

        public void Reset(int expected)
        {
            var size = Keys.Length;
            while (size < expected * 2)
            {
                size *= 2;
            }

            if (size != Keys.Length)
            {
                Keys = new int[size];
                Stamps = new int[size];
                Counts = new float[size];
                _mask = size - 1;
                _stamp = 0;
            }

            if (UsedSlots.Length < size / 2)
            {
                UsedSlots = new int[size / 2];
            }

            _stamp++;
            if (_stamp == int.MaxValue)
            {
                Array.Clear(Stamps);
                _stamp = 1;
            }

            Used = 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int key)
        {
            // Keys are already mixed hashes (the sign bit marks the character group), so their low bits spread well.
            var slot = key & _mask;
            while (true)
            {
                if (Stamps[slot] != _stamp)
                {
                    if (Used == UsedSlots.Length)
                    {
                        return;
                    }

                    Stamps[slot] = _stamp;
                    Keys[slot] = key;
                    Counts[slot] = 1;
                    UsedSlots[Used++] = slot;
                    return;
                }

                if (Keys[slot] == key)
                {
                    Counts[slot]++;
                    return;
                }

                slot = (slot + 1) & _mask;
            }
        }

        public void EnsureOut(int count)
        {
            if (OutIndices.Length < count)
            {
                OutIndices = new int[count * 2];
                OutValues = new float[count * 2];
            }
        }
    }
}
