using Moderator.Model;
using Moderator.Model.Detection;

namespace Moderator.Model.Tests;

/// <summary>Shared test fixtures: the repository's lexicons and models, found by walking up from the test binaries.</summary>
internal static class TestModels
{
    private static readonly string Root = FindRoot();
    private static readonly Lazy<LexiconSet> LazyLexicons = new(() => LexiconSet.Parse(ReadLexiconFiles(Path.Combine(Root, "seeds", "lexicons"))));
    private static readonly Lazy<ModerationModel> LazyDetectors = new(() => ModerationModel.DetectorsOnly(Lexicons));

    public static string RepositoryRoot => Root;

    public static LexiconSet Lexicons => LazyLexicons.Value;

    /// <summary>Detectors and policy without a trained classifier: what the detectors alone decide.</summary>
    public static ModerationModel Detectors => LazyDetectors.Value;

    public static IEnumerable<KeyValuePair<string, string>> ReadLexiconFiles(string directory) =>
        Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".tsv", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal))
            .Select(f => new KeyValuePair<string, string>(Path.GetFileName(f), File.ReadAllText(f)));

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, "seeds", "lexicons")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        throw new InvalidOperationException("Repository root (with seeds/lexicons) not found above " + AppContext.BaseDirectory);
    }
}
