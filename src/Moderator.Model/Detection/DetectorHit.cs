namespace Moderator.Model.Detection;

/// <summary>One detector's finding: a category, how sure it is, and where in the original text.</summary>
public sealed record DetectorHit(Category Category, double Score, string Detector, string Explanation, IReadOnlyList<TextSpan> Spans);

/// <summary>Everything the detectors found in one comment.</summary>
public sealed class DetectionResult
{
    private readonly double[] _maxScore = new double[Categories.All.Count];

    public List<DetectorHit> Hits { get; } = [];

    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>True when the comment carries a link (spam is hidden only with a link).</summary>
    public bool HasLink { get; set; }

    /// <summary>True when the comment mentions a school setting (year group, form, class, photo): names then identify pupils.</summary>
    public bool HasSchoolContext { get; set; }

    /// <summary>Number of complaint-wording matches.</summary>
    public int ComplaintSignals { get; set; }

    /// <summary>Folded ranges of innocent phrases ("blue tits", "Roald Dahl"): findings inside them are dropped.</summary>
    public List<(int Start, int End)> InnocentRanges { get; } = [];

    /// <summary>True when the folded range [start, end) overlaps an innocent phrase.</summary>
    public bool IsInnocent(int start, int end)
    {
        foreach (var (s, e) in InnocentRanges)
        {
            if (start < e && s < end)
            {
                return true;
            }
        }

        return false;
    }

    public void Add(DetectorHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        Hits.Add(hit);
        var index = (int)hit.Category;
        _maxScore[index] = Math.Max(_maxScore[index], hit.Score);
    }

    public double MaxScore(Category category) => _maxScore[(int)category];

    /// <summary>Empties the result so one instance can serve comment after comment on a thread.</summary>
    internal void Reset()
    {
        Hits.Clear();
        Tags.Clear();
        HasLink = false;
        HasSchoolContext = false;
        ComplaintSignals = 0;
        InnocentRanges.Clear();
        Array.Clear(_maxScore);
    }
}
