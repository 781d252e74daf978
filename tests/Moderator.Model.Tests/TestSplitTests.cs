using System.Text.RegularExpressions;
using Moderator.Model.Training;

namespace Moderator.Model.Tests;

/// <summary>
/// The test splits are only a measure of unseen wording while training never sees their comments: none of them may also
/// be a training comment once case, spacing and punctuation are set aside.
/// </summary>
public sealed partial class TestSplitTests
{
    private static readonly string Corpus = Path.Combine(TestModels.RepositoryRoot, "seeds", "corpus");

    [GeneratedRegex(@"[^\w ]")]
    private static partial Regex Punctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string Key(string text) => Punctuation().Replace(Spaces().Replace(text.ToLowerInvariant(), " "), "").Trim();

    private static List<LabelledComment> Read(string pattern) => CommittedModelFixture.Read(Directory.GetFiles(Corpus, pattern));

    private static List<string> AlsoInTraining(string pattern)
    {
        var training = Read("train-*.tsv").Select(c => Key(c.Text)).ToHashSet(StringComparer.Ordinal);
        return Read(pattern).Where(c => training.Contains(Key(c.Text))).Select(c => $"{Path.GetFileName(c.Source)}:{c.Line}").ToList();
    }

    [Theory]
    [InlineData("heldout-*.tsv", 400)]
    [InlineData("blind2-*.tsv", 550)]
    [InlineData("blind3-*.tsv", 550)]
    [InlineData("blind4-*.tsv", 550)]
    public void No_test_comment_is_also_a_training_comment(string pattern, int atLeast)
    {
        Assert.True(Read(pattern).Count >= atLeast, $"{pattern} has fewer than {atLeast} comments");
        Assert.Empty(AlsoInTraining(pattern));
    }

    [Fact]
    public void The_first_blind_split_keeps_only_its_two_accidental_overlaps_with_training()
    {
        // Written without seeing the training files, it shares two everyday sentences with them by chance
        // (seeds/corpus/README.md); a third would mean a training file had copied a blind comment.
        Assert.Equal(["blind-benign.tsv:13", "blind-harmful-hate.tsv:30"], AlsoInTraining("blind-*.tsv"));
    }

    // The later blind splits were checked against every corpus file, the candidates included, when they were written.
    [Theory]
    [InlineData("blind2")]
    [InlineData("blind3")]
    [InlineData("blind4")]
    public void A_later_blind_split_shares_no_comment_with_any_other_corpus_file(string split)
    {
        var prefix = split + "-";
        var others = Read("*.tsv").Concat(CommittedModelFixture.Read(Directory.GetFiles(Path.Combine(Corpus, "candidates"), "*.tsv")))
            .Where(c => !Path.GetFileName(c.Source).StartsWith(prefix, StringComparison.Ordinal))
            .Select(c => Key(c.Text)).ToHashSet(StringComparer.Ordinal);
        var comments = Read(prefix + "*.tsv");

        Assert.Empty(comments.Where(c => others.Contains(Key(c.Text))).Select(c => $"{Path.GetFileName(c.Source)}:{c.Line}"));
        Assert.Equal(comments.Count, comments.Select(c => Key(c.Text)).Distinct(StringComparer.Ordinal).Count());
    }
}
