namespace Moderator.Model.Training;

/// <summary>One labelled comment: bits 0..5 are the categories (in <see cref="Category"/> order), bit 6 is "complaint"; 0 is clean.</summary>
public sealed record LabelledComment(string Text, int Labels, string Source, int Line)
{
    public const int ComplaintBit = 1 << 6;

    public bool Has(Category category) => (Labels & (1 << (int)category)) != 0;

    public bool IsComplaint => (Labels & ComplaintBit) != 0;

    /// <summary>True when any house-rule category applies (complaints and clean comments are not flagged).</summary>
    public bool IsFlagged => (Labels & 0b111111) != 0;

    /// <summary>Written for school pages (the project's corpus) rather than public tweets.</summary>
    public bool IsSchool { get; init; } = true;
}

/// <summary>A malformed corpus file: which file, which line, and why.</summary>
public sealed class CorpusFormatException : Exception
{
    public CorpusFormatException()
    {
    }

    public CorpusFormatException(string message)
        : base(message)
    {
    }

    public CorpusFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorpusFormatException(string file, int line, string reason)
        : base($"{file}:{line}: {reason}")
    {
        File = file;
        Line = line;
        Reason = reason;
    }

    public string? File { get; }

    public int Line { get; }

    public string? Reason { get; }
}

/// <summary>
/// Reads labelled TSV: the school corpus (header <c>labels&lt;TAB&gt;text</c>, labels comma-separated code names,
/// <c>clean</c> or <c>complaint</c>) or the shared datasets (header <c>label&lt;TAB&gt;text&lt;TAB&gt;orig_class</c>, label
/// abusive/hate/clean). Any malformed line stops reading with the file, line and reason.
/// </summary>
public static class CorpusReader
{
    public static IEnumerable<LabelledComment> Read(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        return ReadLines(reader, fileName);
    }

    private static IEnumerable<LabelledComment> ReadLines(TextReader reader, string fileName)
    {
        var header = reader.ReadLine();
        if (header is null)
        {
            throw new CorpusFormatException(fileName, 1, "the file is empty (expected a header 'labels<TAB>text' or 'label<TAB>text<TAB>orig_class')");
        }

        header = header.TrimStart('\uFEFF').TrimEnd('\r');
        bool shared;
        if (header == "labels\ttext")
        {
            shared = false;
        }
        else if (header == "label\ttext\torig_class" || header == "label\ttext")
        {
            shared = true;
        }
        else
        {
            throw new CorpusFormatException(fileName, 1, $"unexpected header '{Truncate(header)}' (expected 'labels<TAB>text' or 'label<TAB>text<TAB>orig_class')");
        }

        var expectedColumns = header.Split('\t').Length;
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            line = line.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != expectedColumns)
            {
                throw new CorpusFormatException(fileName, lineNumber, $"expected {expectedColumns} tab-separated columns, found {columns.Length}");
            }

            var text = columns[1];
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new CorpusFormatException(fileName, lineNumber, "the text is empty");
            }

            var labels = shared
                ? SharedLabels(columns[0], expectedColumns > 2 ? columns[2] : string.Empty, fileName, lineNumber)
                : SchoolLabels(columns[0], fileName, lineNumber);
            yield return new LabelledComment(text, labels, fileName, lineNumber) { IsSchool = !shared };
        }
    }

    /// <summary>Parses "hate,abuse", "clean" or "complaint" (complaint may combine with categories).</summary>
    public static int SchoolLabels(string value, string fileName, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(value);
        var labels = 0;
        var clean = false;
        foreach (var raw in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "clean")
            {
                clean = true;
            }
            else if (raw == ModelAssessment.ComplaintTag)
            {
                labels |= LabelledComment.ComplaintBit;
            }
            else if (Categories.TryParse(raw, out var category) && raw == category.CodeName())
            {
                labels |= 1 << (int)category;
            }
            else
            {
                throw new CorpusFormatException(fileName, lineNumber, $"unknown label '{Truncate(raw)}' (expected category code names, 'clean' or 'complaint')");
            }
        }

        if (!clean && labels == 0)
        {
            throw new CorpusFormatException(fileName, lineNumber, "no label");
        }

        if (clean && labels != 0)
        {
            throw new CorpusFormatException(fileName, lineNumber, "'clean' cannot be combined with other labels");
        }

        return labels;
    }

    /// <summary>
    /// The shared datasets: abusive → offensive, and also abuse when OLID marks it as a targeted insult (OFF/TIN);
    /// hate → hate and offensive; clean → nothing.
    /// </summary>
    public static int SharedLabels(string label, string originalClass, string fileName, int lineNumber)
    {
        const int offensive = 1 << (int)Category.Offensive;
        const int abuse = 1 << (int)Category.Abuse;
        const int hate = 1 << (int)Category.Hate;
        return label switch
        {
            "clean" => 0,
            "abusive" => originalClass.StartsWith("OFF/TIN", StringComparison.Ordinal) ? offensive | abuse : offensive,
            "hate" => hate | offensive,
            _ => throw new CorpusFormatException(fileName, lineNumber, $"unknown label '{Truncate(label)}' (expected abusive, hate or clean)"),
        };
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
