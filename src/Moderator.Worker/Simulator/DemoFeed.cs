using System.Globalization;

namespace Moderator.Worker.Simulator;

/// <summary>What the product should do with a demo comment (the <c>expected</c> column of the demo feed).</summary>
public enum DemoExpectation
{
    /// <summary>Benign: stays visible, no case.</summary>
    Allow = 1,

    /// <summary>Legitimate criticism: must stay visible (tagged as a complaint at most).</summary>
    Complaint = 2,

    /// <summary>Borderline: stays visible and waits for two moderators.</summary>
    Review = 3,

    /// <summary>Harmful: hidden at once, then reviewed.</summary>
    Hide = 4,

    /// <summary>Safeguarding: hidden at once and escalated to the DSL.</summary>
    Escalate = 5,
}

/// <summary>One line of a demo feed: after <see cref="Delay"/> from the start, <see cref="Text"/> appears under the post keyed <see cref="PostKey"/>.</summary>
public sealed record DemoComment(TimeSpan Delay, string PostKey, DemoExpectation Expected, string Text)
{
    public bool ShouldBeHidden => Expected is DemoExpectation.Hide or DemoExpectation.Escalate;

    public override string ToString() => $"demo comment at {Delay} on {PostKey} ({Expected})";
}

/// <summary>
/// Reads a demo feed (<c>seeds/demo/facebook-comments.tsv</c>, <c>seeds/demo/instagram-comments.tsv</c>): a header, then
/// <c>delay_seconds, post, expected, text</c> separated by tabs.
/// </summary>
public static class DemoFeed
{
    public const string DefaultRelativePath = "seeds/demo/facebook-comments.tsv";

    public const string InstagramRelativePath = "seeds/demo/instagram-comments.tsv";

    public static IReadOnlyList<DemoComment> Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Parse(File.ReadAllLines(path));
    }

    public static IReadOnlyList<DemoComment> Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var comments = new List<DemoComment>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line) || line.StartsWith('#') || line.StartsWith("delay_seconds\t", StringComparison.Ordinal))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != 4
                || !double.TryParse(columns[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0
                || string.IsNullOrWhiteSpace(columns[1])
                || !Enum.TryParse<DemoExpectation>(columns[2], ignoreCase: true, out var expected) || !Enum.IsDefined(expected)
                || string.IsNullOrWhiteSpace(columns[3]))
            {
                throw new FormatException($"Demo feed line {number} is not 'delay_seconds<TAB>post<TAB>allow|complaint|review|hide|escalate<TAB>text'.");
            }

            comments.Add(new DemoComment(TimeSpan.FromSeconds(seconds), columns[1].Trim(), expected, columns[3].Trim()));
        }

        return [.. comments.OrderBy(c => c.Delay)];
    }

    /// <summary>
    /// Finds a feed (<paramref name="relativePath"/>, the Facebook one by default) by walking up from
    /// <paramref name="start"/> (the working directory by default) to a folder that holds it.
    /// </summary>
    public static string? Locate(string? start = null, string relativePath = DefaultRelativePath)
    {
        for (var folder = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
