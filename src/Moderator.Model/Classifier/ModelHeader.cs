namespace Moderator.Model.Classifier;

/// <summary>How a classifier was trained (stored in the model file so a model can be reproduced).</summary>
/// <param name="PublicNegativeWeight">
/// How much a clean public tweet counts as a negative for the heads the public sets carry no labels for (safeguarding,
/// pupil identification, spam): 0 leaves them unlabelled there; offensive tweets always stay unlabelled for them. The
/// default, 0.03 beside a school weight of 3, teaches those heads what ordinary public comments look like: clean
/// tweets escalated to the DSL fell from about 5% to about 1% on the development split, for about one point of school
/// recall (models/MODEL_CARD.md, "Eighth revision").
/// </param>
/// <param name="CleanWeight">
/// How much more a clean or complaint school comment counts than another school comment. A harmful comment that a
/// second head also flags is reviewed anyway; a clean one flagged is a false alarm a school sees, so the negatives that
/// cost something weigh more (models/MODEL_CARD.md measures it).
/// </param>
public sealed record TrainingSettings(int Seed, int Epochs, double L2, double LearningRate, int CalibrationFolds, double SchoolWeight, double PublicNegativeWeight = 0, double CleanWeight = 1)
{
    public static TrainingSettings Default { get; } = new(Seed: 20261122, Epochs: 8, L2: 1e-6, LearningRate: 0.2, CalibrationFolds: 3, SchoolWeight: 3.0, PublicNegativeWeight: 0.03, CleanWeight: 2);

    /// <summary>
    /// The committed model file's training (1.2.0): school comments weighted 2.3 rather than 3, which keeps their total
    /// weight against the public tweets what it was before batches 10-12 grew the corpus from 13,414 to 17,923 comments.
    /// </summary>
    public static TrainingSettings Product { get; } = Default with { SchoolWeight = 2.3 };
}

/// <summary>The model file header: format version, model version, feature and training settings, SHA-256 of the training data.</summary>
public sealed record ModelHeader(
    int FormatVersion,
    string Version,
    string TrainingDataSha256,
    int TrainingExamples,
    FeatureSettings Features,
    TrainingSettings Training)
{
    /// <summary>
    /// 2 added <see cref="TrainingSettings.PublicNegativeWeight"/> to the header, 3 <see cref="TrainingSettings.CleanWeight"/>,
    /// 4 word vectors (<see cref="FeatureSettings.EmbeddingDimensions"/> and the vectors after the IDF), 5
    /// <see cref="FeatureSettings.EmbeddingMaxPooling"/> after the dimensions; older files still load (weight 0 and 1,
    /// no vectors, mean pooling only).
    /// </summary>
    public const int CurrentFormatVersion = 5;

    /// <summary>The format a model with mean-pooled word vectors only is written in (so it keeps its bytes).</summary>
    public const int MeanPoolingFormatVersion = 4;

    /// <summary>The format a model without word vectors is written in: 3, so such a file has the bytes it had before 4 existed.</summary>
    public const int WithoutWordVectorsFormatVersion = 3;

    /// <summary>The oldest format that can hold these features.</summary>
    public static int FormatFor(FeatureSettings features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return features.EmbeddingMaxPooling ? CurrentFormatVersion
            : features.EmbeddingDimensions > 0 ? MeanPoolingFormatVersion
            : WithoutWordVectorsFormatVersion;
    }

    public static ModelHeader DetectorsOnly { get; } =
        new(WithoutWordVectorsFormatVersion, "detectors-only", new string('0', 64), 0, FeatureSettings.Default, TrainingSettings.Default);

    /// <summary>The version stored with every assessment: the release plus the start of the data hash.</summary>
    public string FullVersion => TrainingExamples == 0 ? Version : $"{Version}+{TrainingDataSha256[..12]}";
}
