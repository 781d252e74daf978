using Moderator.Model.Classifier;
using Moderator.Model.Detection;
using Moderator.Model.Policy;
using Moderator.Model.Text;

namespace Moderator.Model;

/// <summary>
/// The moderation model: normaliser, detectors (lexicons, contact details, pupil names, roster, links) and the
/// trained linear classifier, combined per category (the larger of the detector's score and the calibrated
/// probability, the classifier itself seeing the detector signals as features), then the policy.
/// Never throws from <see cref="Score"/>: a failure yields Review with <see cref="ModelAssessment.FailedClosed"/>.
/// </summary>
public sealed class ModerationModel : ICommentScorer
{
    public const string ClassifierDetector = "classifier";

    /// <summary>Below this probability the classifier alone never hides; it needs a detector's evidence to do so.</summary>
    public const double ClassifierOnlyHideFloor = 0.8;

    /// <summary>
    /// Up to this many words the classifier alone never hides. On the development split its classifier-only flags at
    /// 0.6 or more on such comments were mostly on clean ones ("sweet as, see you there" scored 0.97 safeguarding).
    /// </summary>
    public const int ShortCommentWords = 5;

    /// <summary>
    /// Above this many words the classifier alone hides from <see cref="LongCommentFloor"/> rather than from
    /// <see cref="ClassifierOnlyHideFloor"/>: on the development split most classifier-only flags between 0.6 and 0.8 on
    /// such comments were on harmful ones (safeguarding 83%, hate 92%), against about half on six to ten words.
    /// </summary>
    public const int LongCommentWords = 10;

    /// <summary>
    /// The classifier-only hide floor for comments of more than <see cref="LongCommentWords"/> words. On the development
    /// split, lowering it from 0.8 to 0.7 escalated 17 more safeguarding comments and hid 17 more hateful ones for 3 more
    /// clean comments hidden out of 443; going on down to the hide threshold (0.6) hid 7 more clean ones for 22 more
    /// escalations, which a school would feel as the product crying wolf.
    /// </summary>
    public const double LongCommentFloor = 0.7;

    private static readonly IReadOnlyList<string> NoTags = [];

    private readonly LinearClassifier? _classifier;

    public ModerationModel(LexiconSet lexicons, LinearClassifier? classifier, ModelHeader header)
    {
        ArgumentNullException.ThrowIfNull(lexicons);
        ArgumentNullException.ThrowIfNull(header);
        Lexicons = lexicons;
        _classifier = classifier;
        Header = header;
        ModelVersion = header.FullVersion;
    }

    public string ModelVersion { get; }

    public ModelHeader Header { get; }

    public LexiconSet Lexicons { get; }

    public bool HasClassifier => _classifier is not null;

    internal LinearClassifier? Classifier => _classifier;

    /// <summary>A model with the detectors only (no trained classifier), for tests and for a first start without a model file.</summary>
    public static ModerationModel DetectorsOnly(LexiconSet lexicons) => new(lexicons, null, ModelHeader.DetectorsOnly);

    public static ModerationModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    public static ModerationModel Load(Stream stream) => ModelFile.Read(stream);

    public ModelAssessment Score(string text, ScoringContext? context = null)
    {
        try
        {
            return Assess(text ?? string.Empty, context);
        }
#pragma warning disable CA1031 // The contract: scoring never throws; a failure is reviewed by people (fail closed).
        catch (Exception)
#pragma warning restore CA1031
        {
            return FailedClosed();
        }
    }

    /// <summary>Runs the detectors only (used by training to build the classifier's detector features).</summary>
    public static DetectionResult Detect(NormalisedText normalised, LexiconSet lexicons, ScoringContext? context)
    {
        var result = new DetectionResult();
        Detect(normalised, lexicons, context, result);
        return result;
    }

    private static void Detect(NormalisedText normalised, LexiconSet lexicons, ScoringContext? context, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(lexicons);
        LexiconDetector.Detect(normalised, lexicons.Lexicon, result);
        ContactDetector.Detect(normalised, result);
        PupilNameDetector.Detect(normalised, lexicons, context?.Roster, result);
        LinkDetector.Detect(normalised, context, result);
    }

    /// <summary>The categories as an array, so the loops below do not allocate an enumerator per comment.</summary>
    private static readonly Category[] AllCategories = [.. Categories.All];

    private static readonly IReadOnlyList<Reason> NoReasons = [];

    private static readonly string[] ClassifierExplanations =
        [.. Categories.All.Select(c => "the trained classifier scores the wording as " + c.CodeName())];

    /// <summary>One detection result per thread, emptied for each comment (the assessment keeps only hits and copies of tags).</summary>
    [ThreadStatic]
    private static DetectionResult? t_detection;

    private ModelAssessment Assess(string text, ScoringContext? context)
    {
        var normalised = TextNormaliser.Normalise(text);
        var detection = t_detection ??= new DetectionResult();
        detection.Reset();
        Detect(normalised, Lexicons, context, detection);
        var policy = context?.Thresholds is null ? ModerationPolicy.Default : new ModerationPolicy(context.Thresholds);

        Span<double> probabilities = stackalloc double[LinearClassifier.HeadCount];
        probabilities.Clear();
        _classifier?.Predict(normalised, detection, probabilities);

        var scores = new CategoryScoreDictionary();
        List<Reason>? reasons = null;
        int[]? wordBuckets = null;
        foreach (var category in AllCategories)
        {
            var detectorScore = detection.MaxScore(category);
            var classifierScore = probabilities[(int)category];

            // The classifier alone acts automatically only when it is sure: without a detector's own evidence for the
            // category, a probability it may not hide on (see ClassifierMayHide) is held just below the hide threshold,
            // so people review it instead (short comments give the classifier little to go on).
            // Offensive language hides only "when strong" (house-rules.md): strength is the lexicon's severity, so the
            // classifier alone never hides it, however sure it is that "bloody" or "what the hell" is rude; people review.
            var thresholds = policy.ThresholdsFor(category);
            var classifierMayHide = ClassifierMayHide(category, classifierScore, detectorScore, thresholds, normalised.Tokens.Count);
            if (classifierScore >= thresholds.Hide && !classifierMayHide)
            {
                classifierScore = Math.Max(thresholds.Review, thresholds.Hide - 0.001);
            }

            // Nor does it send a comment of five words or fewer to review on its own word ("Mr Hughes at 3:10 🤣🤣").
            if (classifierScore >= thresholds.Review && !ClassifierMayReview(detectorScore, thresholds, normalised.Tokens.Count))
            {
                classifierScore = thresholds.Review - 0.001;
            }

            var score = Math.Clamp(Math.Max(detectorScore, classifierScore), 0, 1);
            scores[category] = score;
            if (!policy.IsAtOrAboveReview(category, score))
            {
                continue;
            }

            foreach (var hit in detection.Hits)
            {
                if (hit.Category == category && policy.IsAtOrAboveReview(category, hit.Score))
                {
                    (reasons ??= []).Add(new Reason(category, hit.Score, hit.Detector, HouseRules.For(category), hit.Explanation, hit.Spans));
                }
            }

            if (_classifier is not null && policy.IsAtOrAboveReview(category, classifierScore))
            {
                wordBuckets ??= _classifier.WordBuckets(normalised);
                var spans = _classifier.TopWords(normalised, wordBuckets, (int)category, 3);
                (reasons ??= []).Add(new Reason(category, classifierScore, ClassifierDetector, HouseRules.For(category),
                    ClassifierExplanations[(int)category], spans));
            }
        }

        var isComplaint = _classifier is not null
            ? probabilities[LinearClassifier.ComplaintHead] >= 0.5 || detection.ComplaintSignals >= 2 ||
              (probabilities[LinearClassifier.ComplaintHead] >= 0.25 && detection.ComplaintSignals >= 1)
            : detection.ComplaintSignals >= 1;
        IReadOnlyList<string> tags = NoTags;
        if (isComplaint || detection.Tags.Count > 0)
        {
            var list = new List<string>(detection.Tags.Order(StringComparer.Ordinal));
            if (isComplaint)
            {
                list.Insert(0, ModelAssessment.ComplaintTag);
            }

            tags = list;
        }

        var verdict = policy.Decide(scores, detection.HasLink, isComplaint);

        // A complaint tag never hides on the classifier's word alone: only a detector's own evidence (a phone number,
        // a slur, a threat phrase) can still hide it; otherwise it is at most reviewed.
        if (isComplaint && verdict >= Verdict.Hide)
        {
            var detectorScores = new CategoryScoreDictionary();
            foreach (var category in AllCategories)
            {
                detectorScores[category] = detection.MaxScore(category);
            }

            var detectorVerdict = policy.Decide(detectorScores, detection.HasLink, isComplaint);
            verdict = detectorVerdict >= Verdict.Hide ? detectorVerdict : Verdict.Review;
        }

        // Schools must stay open to criticism: a complaint is not sent to review on the classifier's word alone for
        // tone (abuse, offensive). Hate is not excused by a complaint's framing ("funny how inclusion always means..."):
        // on the development split such comments were the hate the model missed. A detector's own evidence, or any
        // safeguarding, hate, pupil or spam score, still reviews.
        if (isComplaint && verdict == Verdict.Review && (reasons is null || reasons.TrueForAll(IsClassifierToneReason)))
        {
            verdict = Verdict.Allow;
            reasons = null;
        }

        return new ModelAssessment(verdict, scores, reasons ?? NoReasons, tags, ModelVersion, FailedClosed: false);
    }

    private ModelAssessment FailedClosed()
    {
        return new ModelAssessment(Verdict.Review, new CategoryScoreDictionary(), [], NoTags, ModelVersion, FailedClosed: true);
    }

    /// <summary>
    /// Whether the classifier's probability alone may hide: with a detector's own evidence for the category, always;
    /// otherwise from <see cref="ClassifierOnlyHideFloor"/> on comments of more than <see cref="ShortCommentWords"/>
    /// words, and from <see cref="LongCommentFloor"/> (or the hide threshold, if higher) on comments of more than
    /// <see cref="LongCommentWords"/>. Never for offensive.
    /// </summary>
    internal static bool ClassifierMayHide(Category category, double classifierScore, double detectorScore, CategoryThresholds thresholds, int words) =>
        category != Category.Offensive &&
        (detectorScore >= thresholds.Review ||
         (words > ShortCommentWords && classifierScore >= ClassifierOnlyHideFloor) ||
         (words > LongCommentWords && classifierScore >= Math.Max(thresholds.Hide, LongCommentFloor)));

    /// <summary>
    /// Whether the classifier's probability alone may send a comment to review: with a detector's own evidence, or on a
    /// comment of more than <see cref="ShortCommentWords"/> words. On the development split one in eight classifier-only
    /// reviews of comments that short was harmful; the detectors (lexicons, contact details, names) still judge them.
    /// </summary>
    internal static bool ClassifierMayReview(double detectorScore, CategoryThresholds thresholds, int words) =>
        detectorScore >= thresholds.Review || words > ShortCommentWords;

    private static bool IsClassifierToneReason(Reason reason) =>
        reason.Detector == ClassifierDetector && reason.Category is Category.Abuse or Category.Offensive;
}
