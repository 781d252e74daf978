using Moderator.Model.Text;

namespace Moderator.Model.Detection;

/// <summary>
/// The curated word lists of seeds/lexicons/: category lexicons, tag lexicons, and the name lists used by
/// the pupil-name detector. Packed into the model file so that a model always carries the lists it was trained with.
/// </summary>
public sealed class LexiconSet
{
    public const string FirstNamesFile = "first-names.txt";
    public const string NotNamesFile = "not-names.txt";

    private LexiconSet(Lexicon lexicon, HashSet<string> firstNames, HashSet<string> notNames, IReadOnlyList<KeyValuePair<string, string>> files)
    {
        Lexicon = lexicon;
        FirstNames = firstNames;
        NotNames = notNames;
        Files = files;
        FirstNamesLookup = firstNames.GetAlternateLookup<ReadOnlySpan<char>>();
        NotNamesLookup = notNames.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public Lexicon Lexicon { get; }

    public IReadOnlySet<string> FirstNames { get; }

    public IReadOnlySet<string> NotNames { get; }

    /// <summary>The source files, sorted by name, as stored in the model file.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Files { get; }

    internal HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FirstNamesLookup { get; }

    internal HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NotNamesLookup { get; }

    public static LexiconSet Empty { get; } = Parse([]);

    /// <summary>Builds the set from (file name, text) pairs: "*.tsv" are lexicons named by target, the two name lists by their file names.</summary>
    public static LexiconSet Parse(IEnumerable<KeyValuePair<string, string>> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sorted = files.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var lexicons = new List<KeyValuePair<string, string>>();
        var firstNames = new HashSet<string>(StringComparer.Ordinal);
        var notNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, text) in sorted)
        {
            if (name.EndsWith(".tsv", StringComparison.Ordinal))
            {
                lexicons.Add(new(name[..^4], text));
            }
            else if (name == FirstNamesFile)
            {
                AddWords(firstNames, text);
            }
            else if (name == NotNamesFile)
            {
                AddWords(notNames, text);
            }
        }

        return new LexiconSet(Lexicon.Parse(lexicons), firstNames, notNames, sorted);
    }

    private static void AddWords(HashSet<string> set, string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var normalised = TextNormaliser.Normalise(line);
            foreach (var token in normalised.Tokens)
            {
                set.Add(normalised.Key(token).ToString());
            }
        }
    }
}
