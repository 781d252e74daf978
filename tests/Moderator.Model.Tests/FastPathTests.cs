using Moderator.Model.Classifier;
using Moderator.Model.Detection;
using Moderator.Model.Text;
using Moderator.Model.Training;

namespace Moderator.Model.Tests;

/// <summary>The shortcuts taken for speed (indexed lexicon gaps, interleaved weight rows, in-place file reading) keep the results.</summary>
public sealed class FastPathTests
{
    private static byte[] SmallModelBytes()
    {
        var data = new List<LabelledComment>
        {
            new("well done to the football team", 0, "tiny.tsv", 2),
            new("lovely photos of the trip", 0, "tiny.tsv", 3),
            new("thank you for the concert", 0, "tiny.tsv", 4),
            new("you are a useless idiot", 1 << (int)Category.Abuse, "tiny.tsv", 5),
            new("shut up you moron", 1 << (int)Category.Abuse, "tiny.tsv", 6),
            new("what a pathetic clown", 1 << (int)Category.Abuse, "tiny.tsv", 7),
        };
        var options = new TrainingOptions("test", FeatureSettings.Default with { HashBits = 12 }, TrainingSettings.Default with { Seed = 5, Epochs = 3 });
        return ModelTrainer.TrainToBytes(data, TestModels.Lexicons, options);
    }

    [Fact]
    public void A_loaded_model_written_again_gives_the_same_bytes()
    {
        var bytes = SmallModelBytes();
        var model = ModerationModel.Load(new MemoryStream(bytes));
        var classifier = model.Classifier!;

        using var again = new MemoryStream();
        ModelFile.Write(again, model.Header, model.Lexicons, classifier.Featuriser.Idf!, classifier);

        Assert.Equal(bytes, again.ToArray());
    }

    [Fact]
    public void A_model_read_from_a_stream_that_cannot_seek_scores_like_one_read_from_a_file_stream()
    {
        var bytes = SmallModelBytes();
        var seekable = ModerationModel.Load(new MemoryStream(bytes));
        var forwardOnly = ModerationModel.Load(new ForwardOnlyStream(bytes));

        foreach (var text in new[] { "you useless moron", "lovely photos of the concert", "shut up you pathetic clown" })
        {
            Assert.Equal(seekable.Score(text).Scores[Category.Abuse], forwardOnly.Score(text).Scores[Category.Abuse]);
        }
    }

    [Theory]
    [InlineData("Mr Jones shook my son at pick up")]
    [InlineData("Mr Jones really roughly shook my son at pick up")]
    [InlineData("mrs smith punched our daughter")]
    [InlineData("Mr Jones p*nched my son at pick up")]
    public void A_staff_allegation_with_up_to_three_words_in_its_gap_is_found(string text)
    {
        var assessment = TestModels.Detectors.Score(text);

        Assert.Contains(ModelAssessment.StaffAllegationTag, assessment.Tags);
        Assert.Equal(Verdict.HideAndEscalate, assessment.Verdict);
    }

    [Fact]
    public void A_staff_allegation_whose_words_are_too_far_apart_is_not_found()
    {
        var assessment = TestModels.Detectors.Score("Mr Jones says that on the field the boys hurt my son");

        Assert.DoesNotContain(ModelAssessment.StaffAllegationTag, assessment.Tags);
    }

    [Fact]
    public void Repeated_scoring_on_one_thread_does_not_carry_findings_over()
    {
        var model = TestModels.Detectors;
        var harmful = model.Score("mrs smith punched our daughter");
        var clean = model.Score("lovely photos of the concert, well done everyone");
        var harmfulAgain = model.Score("mrs smith punched our daughter");

        Assert.Equal(Verdict.Allow, clean.Verdict);
        Assert.Empty(clean.Reasons);
        Assert.Empty(clean.Tags);
        Assert.Equal(harmful.Verdict, harmfulAgain.Verdict);
        Assert.Equal(harmful.Reasons.Count, harmfulAgain.Reasons.Count);
    }

    [Theory]
    [InlineData("her postcode is cf10 3at.", "contains a UK postcode")]
    [InlineData("send it to ls62qt please", "contains a UK postcode")]
    [InlineData("we are at b1  2ad now", "contains a UK postcode")]
    [InlineData("email me at sarah.jenkins @ example.com", "contains an e-mail address")]
    [InlineData("write to x(at)y.com", "contains an e-mail address")]
    [InlineData("my son is  twelve next week", "gives a child's age")]
    [InlineData("they're  eleven now", "gives a child's age")]
    [InlineData("my little one is 4 and loves it", "gives a child's age")]
    [InlineData("a 7 year old boy", "gives a child's age")]
    [InlineData("the boy is 12 yo!", "gives a child's age")]
    public void Contact_details_pass_the_cheap_pre_checks(string text, string explanation)
    {
        var result = new DetectionResult();

        ContactDetector.Detect(TextNormaliser.Normalise(text), result);

        Assert.Contains(result.Hits, h => h.Explanation == explanation);
    }

    [Fact]
    public void Every_contact_pattern_match_in_the_corpus_passes_the_pre_check_that_guards_it()
    {
        var pairs = new (string Name, System.Text.RegularExpressions.Regex Pattern, Func<string, bool> PreCheck)[]
        {
            ("postcode", ContactDetector.Postcode(), ContactDetector.MayHaveInwardCode),
            ("e-mail", ContactDetector.Email(), ContactDetector.MayHaveEmail),
            ("age statement", ContactDetector.AgeStatement(), ContactDetector.MayHaveAgeAfterIntroduction),
            ("years old", ContactDetector.YearsOld(), ContactDetector.MayHaveYearsOld),
        };
        var texts = Directory.EnumerateFiles(Path.Combine(TestModels.RepositoryRoot, "seeds", "corpus"), "*.tsv")
            .SelectMany(f => File.ReadLines(f).Skip(1))
            .Select(line => line.Split('\t') is { Length: > 1 } fields ? fields[1] : string.Empty)
            .Concat(["ls62qt", "b1  2ad", "x(at)y.com", "sarah.jenkins @ example.com", "my son is  twelve", "a 7-year-old", "12 yo!"])
            .Select(t => TextNormaliser.Normalise(t).Folded)
            .ToList();

        var matched = 0;
        foreach (var folded in texts)
        {
            foreach (var (name, pattern, preCheck) in pairs)
            {
                if (pattern.IsMatch(folded))
                {
                    matched++;
                    Assert.True(preCheck(folded), $"the {name} pattern matches text its pre-check rejects: {folded}");
                }
            }
        }

        Assert.True(matched > 50, $"only {matched} matches: the corpus no longer exercises the patterns");
    }

    [Theory]
    [InlineData("year 6th place in the 2nd round")]
    [InlineData("well done to everyone, 10 out of 10")]
    [InlineData("are you coming at 3pm")]
    public void Ordinary_numbers_give_no_contact_details(string text)
    {
        var result = new DetectionResult();

        ContactDetector.Detect(TextNormaliser.Normalise(text), result);

        Assert.Empty(result.Hits);
    }

    [Fact]
    public void Scoring_on_several_threads_at_once_gives_what_one_thread_gives()
    {
        var model = ModerationModel.Load(new MemoryStream(SmallModelBytes()));
        string[] texts =
        [
            "mrs smith punched our daughter", "lovely photos of the concert", "call his mum on 07700 900123",
            "Well done Jayden Smith-Okafor in 4B", "what a f***ing joke, you useless idiot", "free ipads click bit.ly/x",
            "my son is 7 and lives at 14 Park Road, LS6 2QT", "the homework policy is unfair and nobody listens",
        ];
        var expected = texts.Select(t => Describe(model.Score(t))).ToArray();

        var mismatches = 0;
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (var round = 0; round < 50; round++)
            {
                for (var i = 0; i < texts.Length; i++)
                {
                    if (Describe(model.Score(texts[i])) != expected[i])
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });

        Assert.Equal(0, mismatches);
    }

    private static string Describe(ModelAssessment a) =>
        $"{a.Verdict} {string.Join(',', a.Scores.Values)} {string.Join(',', a.Tags)} " +
        string.Join('|', a.Reasons.Select(r => $"{r.Category} {r.Score} {r.Detector} {r.Explanation} {string.Join(';', r.Spans)}"));

    /// <summary>A stream that only reads forward, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
