namespace Moderator.Model.Classifier;

/// <summary>
/// How text becomes features (stored in the model file header): hashed word 1..WordNgramMax grams and character
/// CharNgramMin..CharNgramMax grams inside words (with word-boundary marks), TF-IDF weighted, each group L2
/// normalised, plus one feature per detector signal, plus (when <paramref name="EmbeddingDimensions"/> is above 0) the
/// comment's mean word vector (and, with <paramref name="EmbeddingMaxPooling"/>, its per-dimension maximum).
/// </summary>
/// <param name="EmbeddingDimensions">Dimensions of the word vectors learned from the training texts; 0 for none.</param>
/// <param name="EmbeddingMaxPooling">Also append the per-dimension maximum over the comment's words (a second block).</param>
public sealed record FeatureSettings(int HashBits, int WordNgramMax, int CharNgramMin, int CharNgramMax, int EmbeddingDimensions = 0, bool EmbeddingMaxPooling = false)
{
    public static FeatureSettings Default { get; } = new(HashBits: 18, WordNgramMax: 2, CharNgramMin: 2, CharNgramMax: 5);

    /// <summary>
    /// The committed model file's features (1.2.0, sixteenth revision in models/REVISIONS.md): the defaults plus 64-dimensional
    /// word vectors, mean- and max-pooled. Tests keep <see cref="Default"/>, which trains small models faster.
    /// </summary>
    public static FeatureSettings Product { get; } = Default with { EmbeddingDimensions = 64, EmbeddingMaxPooling = true };

    /// <summary>The standard baseline: word unigrams and bigrams only (no character n-grams).</summary>
    public static FeatureSettings WordsOnly { get; } = new(HashBits: 18, WordNgramMax: 2, CharNgramMin: 0, CharNgramMax: 0);

    public int Buckets => 1 << HashBits;

    /// <summary>Detector signals appended after the hashed buckets: one per category, link, school context, complaint wording.</summary>
    public const int DetectorFeatures = 9;

    /// <summary>Dense features from the word vectors: the mean block, and the maximum block when pooled both ways.</summary>
    public int EmbeddingFeatures => EmbeddingMaxPooling ? 2 * EmbeddingDimensions : EmbeddingDimensions;

    public int Dimensions => Buckets + DetectorFeatures + EmbeddingFeatures;

    public void Validate()
    {
        if (HashBits is < 10 or > 22 || WordNgramMax is < 1 or > 3 || CharNgramMax > 6 || (CharNgramMax != 0 && (CharNgramMin < 1 || CharNgramMax < CharNgramMin)))
        {
            throw new InvalidDataException($"Unsupported feature settings {this}.");
        }

        if (EmbeddingDimensions is < 0 or > 256)
        {
            throw new InvalidDataException($"Word vectors need 0 to 256 dimensions, not {EmbeddingDimensions}.");
        }

        if (EmbeddingMaxPooling && EmbeddingDimensions == 0)
        {
            throw new InvalidDataException("Max pooling of word vectors needs word vectors: give them dimensions (--embedding-dims) above 0.");
        }
    }
}
