using System.Text;
using System.Text.Json;
using Moderator.Model;
using Moderator.Model.Evaluation;
using Moderator.Model.Policy;
using Moderator.Model.Training;
using Moderator.Worker.Commands;

namespace Moderator.Worker.Tests;

public sealed class ModelCommandsTests
{
    private static readonly Lazy<ModerationModel> Detectors = new(() =>
        ModerationModel.DetectorsOnly(TrainingData.LoadLexicons(Path.Combine(RepositoryPaths.Root(), "seeds", "lexicons"))));

    private static async Task<List<JsonElement>> ScoreAsync(string input)
    {
        using var output = new MemoryStream();
        await ScoreStream.RunAsync(Detectors.Value, new StringReader(input), output, flushEachLine: false, CancellationToken.None);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.DoesNotContain("07700", text, StringComparison.Ordinal);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public async Task Score_writes_one_json_object_per_line_in_order_and_never_the_text()
    {
        var lines = await ScoreAsync("Lovely photos of sports day\ncall his mum on 07700 900123\n\ndm me sweetie how old are you\nabc\uD800\u202E\0def\n");
        Assert.Equal(5, lines.Count);
        Assert.Equal(["Allow", "Hide", "Allow", "HideAndEscalate", "Allow"], lines.Select(l => l.GetProperty("verdict").GetString()));
        foreach (var line in lines)
        {
            var scores = line.GetProperty("scores");
            Assert.Equal(Categories.All.Select(c => c.CodeName()), scores.EnumerateObject().Select(p => p.Name));
            Assert.False(line.GetProperty("failed_closed").GetBoolean());
        }

        Assert.Equal(["pupil_identification"], lines[1].GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        var span = lines[1].GetProperty("reasons").EnumerateArray().SelectMany(r => r.GetProperty("spans").EnumerateArray()).Last();
        Assert.Equal(16, span.GetProperty("start").GetInt32());
        Assert.Equal(12, span.GetProperty("length").GetInt32());
        Assert.Contains("safeguarding", lines[3].GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Score_streams_many_lines_in_order()
    {
        var input = string.Join('\n', Enumerable.Range(0, 3000).Select(i => i % 2 == 0 ? $"thanks for the trip, see you in {(i % 5) + 1} weeks" : "you absolute c*nt"));
        var lines = await ScoreAsync(input);
        Assert.Equal(3000, lines.Count);
        Assert.All(lines.Where((_, i) => i % 2 == 1), l => Assert.Equal("Hide", l.GetProperty("verdict").GetString()));
        Assert.All(lines.Where((_, i) => i % 2 == 0), l => Assert.Equal("Allow", l.GetProperty("verdict").GetString()));
    }

    [Fact]
    public async Task Evaluate_stops_on_a_malformed_file_with_file_line_and_reason()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.tsv");
        await File.WriteAllTextAsync(file, "labels\ttext\nclean\tfine\nhate\n");
        try
        {
            await using var process = ModeratorProcess.Start(new Dictionary<string, string>(), "evaluate", "--data", file, "--detectors-only");
            var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(4, exit);
            Assert.Contains($"{file}:3: expected 2 tab-separated columns, found 1", process.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Train_stops_on_a_malformed_corpus_file_with_file_line_and_reason()
    {
        var directory = Directory.CreateTempSubdirectory("corpus-");
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "train-a.tsv"), "labels\ttext\nclean\tfine\nnonsense\tsome text\n");
        try
        {
            await using var process = ModeratorProcess.Start(new Dictionary<string, string>(), "train", "--corpus", directory.FullName, "--no-datasets", "--out", Path.Combine(directory.FullName, "m.bin"));
            var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(4, exit);
            Assert.Contains("train-a.tsv:3: unknown label 'nonsense'", process.StandardError, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory.FullName, "m.bin")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Train_refuses_max_pooling_without_word_vectors_before_reading_any_data()
    {
        var directory = Directory.CreateTempSubdirectory("corpus-");
        var missing = Path.Combine(directory.FullName, "no-such-corpus");
        try
        {
            await using var process = ModeratorProcess.Start(new Dictionary<string, string>(), "train", "--corpus", missing, "--no-datasets", "--embedding-dims", "0",
                "--embedding-max-pool", "true", "--out", Path.Combine(directory.FullName, "m.bin"));
            var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(5, exit);
            Assert.Contains("Max pooling of word vectors needs word vectors", process.StandardError, StringComparison.Ordinal);
            Assert.Contains("--embedding-dims", process.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("no-such-corpus", process.StandardError, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory.FullName, "m.bin")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Evaluate_reports_per_category_and_flagged_metrics_as_json()
    {
        var file = Path.Combine(Path.GetTempPath(), $"eval-{Guid.NewGuid():N}.tsv");
        await File.WriteAllTextAsync(file, "labels\ttext\nclean\tlovely trip\npupil_identification\tcall his mum on 07700 900123\nhate\tgo back to your own country\ncomplaint\tdisappointed the trip was cancelled\n");
        try
        {
            await using var process = ModeratorProcess.Start(new Dictionary<string, string>(), "evaluate", "--data", file, "--detectors-only", "--json");
            Assert.Equal(0, await process.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            using var report = JsonDocument.Parse(process.StandardOutput);
            var pupil = report.RootElement.GetProperty("per_category").GetProperty("pupil_identification");
            Assert.Equal(1, pupil.GetProperty("positives").GetInt32());
            Assert.Equal(1.0, pupil.GetProperty("recall").GetDouble());
            var flagged = report.RootElement.GetProperty("flagged_vs_clean");
            Assert.Equal(1.0, flagged.GetProperty("recall").GetDouble());
            Assert.Equal(0.0, flagged.GetProperty("false_positive_rate").GetDouble());
            Assert.Equal(1.0, flagged.GetProperty("macro_f1").GetDouble());
            Assert.Equal(4, report.RootElement.GetProperty("comments").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_quoted_wildcard_in_data_expands_to_the_matching_files_in_order_and_one_matching_nothing_is_an_error()
    {
        var directory = Directory.CreateTempSubdirectory("expand-");
        try
        {
            foreach (var name in new[] { "heldout-b.tsv", "heldout-a.tsv", "train-a.tsv" })
            {
                File.WriteAllText(Path.Combine(directory.FullName, name), "labels\ttext\n");
            }

            var plain = Path.Combine(directory.FullName, "train-a.tsv");
            var files = TrainingData.Expand([Path.Combine(directory.FullName, "heldout-*.tsv"), plain]);

            Assert.Equal(["heldout-a.tsv", "heldout-b.tsv", "train-a.tsv"], files.Select(Path.GetFileName));
            var missing = Assert.Throws<FileNotFoundException>(() => TrainingData.Expand([Path.Combine(directory.FullName, "blind-*.tsv")]));
            Assert.Contains("blind-*.tsv", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Threshold_overrides_parse_into_a_policy_and_a_malformed_or_disordered_one_is_a_clear_error()
    {
        var policy = ThresholdOverrides.Parse(["safeguarding=0.3,0.5,0.5", "spam=0.4,0.9,never"])!;

        Assert.Equal(new CategoryThresholds(0.3, 0.5, 0.5), policy.ThresholdsFor(Category.Safeguarding));
        Assert.Equal(ModerationPolicy.Never, policy.ThresholdsFor(Category.Spam).Escalate);
        Assert.Equal(ModerationPolicy.DefaultThresholds[Category.Hate], policy.ThresholdsFor(Category.Hate));
        Assert.Null(ThresholdOverrides.Parse([]));
        Assert.Contains("code name", Assert.Throws<FormatException>(() => ThresholdOverrides.Parse(["swearing=0.1,0.2,0.3"])).Message, StringComparison.Ordinal);
        Assert.Contains("three numbers", Assert.Throws<FormatException>(() => ThresholdOverrides.Parse(["hate=0.1,0.2"])).Message, StringComparison.Ordinal);
        Assert.Contains("review <= hide", Assert.Throws<FormatException>(() => ThresholdOverrides.Parse(["hate=0.7,0.2,0.9"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluating_with_a_policy_applies_it_to_the_verdicts_as_a_page_override_would()
    {
        var data = new[] { new LabelledComment("you are an idiot and a liar", 1 << (int)Category.Abuse, "test", 1) };
        var strict = new ModerationPolicy(new Dictionary<Category, CategoryThresholds> { [Category.Abuse] = new(0.01, 0.02, ModerationPolicy.Never) });

        var byDefault = Evaluator.Evaluate(Detectors.Value, data);
        var overridden = Evaluator.Evaluate(Detectors.Value, data, strict);

        Assert.True(byDefault.Actions.Single(a => a.Group == "abuse").Hidden < 1.0);
        Assert.Equal(1.0, overridden.Actions.Single(a => a.Group == "abuse").Hidden);
    }

    [Fact]
    public void Bench_measures_load_throughput_latency_and_allocations_with_the_committed_model()
    {
        var path = ModelFiles.Find(null) ?? throw new InvalidOperationException("no committed model");
        string[] comments = ["Lovely photos of the trip, thank you all", "call his mum on 07700 900123 tonight", "what a load of shit this is honestly"];
        var result = Benchmark.Run(path, comments, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.True(result.LoadMilliseconds > 0);
        Assert.True(result.Scored >= 100, $"scored {result.Scored}");
        Assert.True(result.CommentsPerSecond > 0 && result.CommentsPerCpuSecond > 0);
        Assert.True(result.P50Microseconds <= result.P99Microseconds && result.P99Microseconds <= result.MaxMicroseconds);
        Assert.InRange(result.BytesAllocatedPerComment, 1, 1_000_000);
    }
}
