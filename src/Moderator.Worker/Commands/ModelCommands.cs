using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Moderator.Model;
using Moderator.Model.Classifier;
using Moderator.Model.Detection;
using Moderator.Model.Evaluation;
using Moderator.Model.Policy;
using Moderator.Model.Training;

namespace Moderator.Worker.Commands;

/// <summary>`train`, `evaluate`, `score` and `bench`: the moderation model's commands.</summary>
public static class ModelCommands
{
    /// <summary>The version `moderator train` writes by default: the committed model file's release (models/MODEL_CARD.md).</summary>
    internal const string ProductModelVersion = "1.2.0";

    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Subcommands.Add(TrainCommand());
        root.Subcommands.Add(EvaluateCommand());
        root.Subcommands.Add(ScoreCommand());
        root.Subcommands.Add(BenchCommand());
    }

    private static Option<string?> ModelOption() => new("--model")
    {
        Description = "Model file (default: models/" + ModelFile.FileName + " found upward from the program or the current folder).",
    };

    private static Command TrainCommand()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Folder of the school corpus; every train-*.tsv is read, never heldout-* (default seeds/corpus)." };
        var lexicons = new Option<string?>("--lexicons") { Description = "Folder of the lexicons (default seeds/lexicons)." };
        var datasets = new Option<string?>("--datasets") { Description = "Folder of the shared public datasets (default ../shared/datasets beside the repository); skipped when absent." };
        var noDatasets = new Option<bool>("--no-datasets") { Description = "Train on the school corpus only." };
        var output = new Option<string?>("--out") { Description = "Where to write the model file (default models/" + ModelFile.FileName + ")." };
        // The defaults are the committed model file's settings, so `moderator train` alone reproduces it (models/MODEL_CARD.md).
        var product = TrainingOptions.Product(ProductModelVersion);
        var seed = new Option<int>("--seed") { Description = "Random seed (same data and seed give the same bytes).", DefaultValueFactory = _ => product.Training.Seed };
        var version = new Option<string>("--model-version") { Description = "Model version written into the header.", DefaultValueFactory = _ => product.Version };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data.", DefaultValueFactory = _ => product.Training.Epochs };

        var command = new Command("train", "Train the moderation model on the school corpus (and the shared datasets) and write the model file.");
        var publicNegativeWeight = new Option<double>("--public-negative-weight")
        {
            Description = "How much a clean public tweet counts as a negative for the safeguarding, pupil identification and spam heads (0 = unlabelled there).",
            DefaultValueFactory = _ => product.Training.PublicNegativeWeight,
        };
        var cleanWeight = new Option<double>("--clean-weight")
        {
            Description = "How much more a clean or complaint school comment counts than a harmful one (its false flags are the ones a school sees).",
            DefaultValueFactory = _ => product.Training.CleanWeight,
        };
        var l2 = new Option<double>("--l2") { Description = "L2 regularisation per touched weight.", DefaultValueFactory = _ => product.Training.L2 };
        var schoolWeight = new Option<double>("--school-weight") { Description = "How much a school comment counts against a public tweet.", DefaultValueFactory = _ => product.Training.SchoolWeight };
        var embeddingDimensions = new Option<int>("--embedding-dims")
        {
            Description = "Dimensions of word vectors learned from the training texts and added as features (0 = none).",
            DefaultValueFactory = _ => product.Features.EmbeddingDimensions,
        };
        var embeddingMaxPooling = new Option<bool?>("--embedding-max-pool")
        {
            Description = "true or false: also add the per-dimension maximum of the comment's word vectors, a second block of features (default: on whenever there are word vectors).",
        };
        foreach (var option in new Option[] { corpus, lexicons, datasets, noDatasets, output, seed, version, epochs, publicNegativeWeight, cleanWeight, l2, schoolWeight, embeddingDimensions, embeddingMaxPooling })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, ct) => Guard(() =>
        {
            var root = RepositoryPaths.Root();
            var corpusDir = result.GetValue(corpus) ?? Path.Combine(root, "seeds", "corpus");
            var lexiconDir = result.GetValue(lexicons) ?? Path.Combine(root, "seeds", "lexicons");
            var datasetDir = result.GetValue(noDatasets) ? null : result.GetValue(datasets) ?? Path.Combine(root, "..", "shared", "datasets");
            var outPath = result.GetValue(output) ?? Path.Combine(root, ModelFiles.DirectoryName, ModelFile.FileName);
            var stopwatch = Stopwatch.StartNew();
            var dimensions = result.GetValue(embeddingDimensions);
            var features = product.Features with
            {
                EmbeddingDimensions = dimensions,
                EmbeddingMaxPooling = result.GetValue(embeddingMaxPooling) ?? (dimensions > 0 && product.Features.EmbeddingMaxPooling),
            };
            features.Validate(); // before minutes of loading and training

            var examples = TrainingData.Load(corpusDir, datasetDir, Console.Error);
            var lexiconSet = TrainingData.LoadLexicons(lexiconDir);
            var settings = product.Training with { Seed = result.GetValue(seed), Epochs = result.GetValue(epochs), PublicNegativeWeight = result.GetValue(publicNegativeWeight),
                CleanWeight = result.GetValue(cleanWeight), L2 = result.GetValue(l2), SchoolWeight = result.GetValue(schoolWeight),
            };
            var bytes = ModelTrainer.TrainToBytes(examples, lexiconSet, new TrainingOptions(result.GetValue(version)!, features, settings),
                message => Console.Error.WriteLine($"train: {message}"));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            File.WriteAllBytes(outPath, bytes);
            var model = ModerationModel.Load(outPath);
            Console.WriteLine($"wrote {outPath}: {bytes.Length:N0} bytes, model {model.ModelVersion}, {examples.Count:N0} examples, sha256 {model.Header.TrainingDataSha256}, {stopwatch.Elapsed.TotalSeconds:F1} s");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static Command EvaluateCommand()
    {
        var data = new Option<string[]>("--data") { Description = "Labelled TSV file(s) to score ('labels<TAB>text' or the shared 'label<TAB>text<TAB>orig_class').", AllowMultipleArgumentsPerToken = true, Required = true };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var model = ModelOption();
        var crossValidate = new Option<int>("--cross-validate") { Description = "Instead of scoring with the model file: K-fold cross-validation on --data against the TF-IDF + logistic regression baseline." };
        var extra = new Option<string[]>("--extra") { Description = "With --cross-validate: extra training files added to every fold's training set (the baseline never sees them).", AllowMultipleArgumentsPerToken = true };
        var lexicons = new Option<string?>("--lexicons") { Description = "With --cross-validate: folder of the lexicons (default seeds/lexicons)." };
        var epochs = new Option<int>("--epochs") { Description = "With --cross-validate: passes over the data.", DefaultValueFactory = _ => TrainingSettings.Product.Epochs };
        var thresholds = new Option<string[]>("--thresholds")
        {
            Description = "Score as a page with these overrides would: category=review,hide,escalate (e.g. safeguarding=0.35,0.55,0.55; 'never' above 1). Repeatable.",
            AllowMultipleArgumentsPerToken = true,
        };

        var detectorsOnly = DetectorsOnlyOption();
        var command = new Command("evaluate", "Score labelled comments and print per-category precision, recall, F1, ROC AUC, PR AUC, flagged-vs-clean metrics and action rates.");
        foreach (var option in new Option[] { data, json, model, crossValidate, extra, lexicons, epochs, detectorsOnly, thresholds })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, ct) => Guard(() =>
        {
            var files = TrainingData.Expand(result.GetValue(data) ?? []);
            var comments = files.SelectMany(TrainingData.ReadFile).ToList();
            var folds = result.GetValue(crossValidate);
            if (folds > 1)
            {
                var extraData = TrainingData.Expand(result.GetValue(extra) ?? []).SelectMany(TrainingData.ReadFile).ToList();
                var lexiconSet = TrainingData.LoadLexicons(result.GetValue(lexicons) ?? Path.Combine(RepositoryPaths.Root(), "seeds", "lexicons"));
                var product = TrainingOptions.Product("cv");
                var settings = product.Training with { Epochs = result.GetValue(epochs) };
                var folded = CrossValidation.Run(comments, extraData, lexiconSet, folds, product.Features, settings, message => Console.Error.WriteLine($"cv: {message}"));
                Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(folded, JsonOptions) : Reports.CrossValidationText(folded));
                return Task.FromResult(0);
            }

            var scorer = LoadScorer(result, model, detectorsOnly);
            var report = Evaluator.Evaluate(scorer, comments, ThresholdOverrides.Parse(result.GetValue(thresholds) ?? []));
            Console.WriteLine(result.GetValue(json) ? Reports.Json(report, scorer.ModelVersion) : Reports.Text(report, scorer.ModelVersion));
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static Command ScoreCommand()
    {
        var model = ModelOption();
        var detectorsOnly = DetectorsOnlyOption();
        var command = new Command("score", "Read one comment per line on standard input; write one JSON object per line (verdict, scores, categories, tags, reasons with spans), never the comment text.");
        command.Options.Add(model);
        command.Options.Add(detectorsOnly);
        command.SetAction((result, ct) => Guard(async () =>
        {
            var scorer = LoadScorer(result, model, detectorsOnly);
            using var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            await using var output = Console.OpenStandardOutput();
            await ScoreStream.RunAsync(scorer, input, output, flushEachLine: !Console.IsInputRedirected, ct);
            return 0;
        }, ct));
        return command;
    }

    private static Command BenchCommand()
    {
        var model = ModelOption();
        var data = new Option<string[]>("--data") { Description = "Comments to replay (labelled TSV; default the held-out school files and look-alikes); only 20-500 characters are used.", AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<double>("--seconds") { Description = "How long to measure.", DefaultValueFactory = _ => 5 };
        var command = new Command("bench", "Measure model load time, throughput on one core, p50/p99 latency and allocations per comment (everything included).");
        command.Options.Add(model);
        command.Options.Add(data);
        command.Options.Add(seconds);
        command.SetAction((result, ct) => Guard(() =>
        {
            var path = ModelFiles.Find(result.GetValue(model)) ?? throw new FileNotFoundException("No model file; run `moderator train`.");
            var files = result.GetValue(data) is { Length: > 0 } given ? TrainingData.Expand(given) : TrainingData.DefaultBenchFiles(RepositoryPaths.Root());
            var comments = files.SelectMany(TrainingData.ReadFile).Select(c => c.Text).Where(t => t.Length is >= 20 and <= 500).ToArray();
            var bench = Benchmark.Run(path, comments, TimeSpan.FromSeconds(result.GetValue(seconds)), ct);
            Console.WriteLine(bench);
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static Option<bool> DetectorsOnlyOption() => new("--detectors-only")
    {
        Description = "Use the lexicons of seeds/lexicons and the detectors without the trained classifier (to see what the detectors alone decide).",
    };

    private static ModerationModel LoadScorer(ParseResult result, Option<string?> model, Option<bool> detectorsOnly) =>
        result.GetValue(detectorsOnly)
            ? ModerationModel.DetectorsOnly(TrainingData.LoadLexicons(Path.Combine(RepositoryPaths.Root(), "seeds", "lexicons")))
            : ModelFiles.Load(result.GetValue(model));

    internal static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static async Task<int> Guard(Func<Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action();
        }
        catch (CorpusFormatException e)
        {
            await Console.Error.WriteLineAsync($"moderator: malformed input: {e.Message}");
            return 4;
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"moderator: {e.Message}");
            return 4;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"moderator: {e.Message}");
            return 5;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
    }
}

/// <summary>Finds the repository (the folder holding seeds/ and models/) upward from the current folder or the program.</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            var directory = new DirectoryInfo(start);
            while (directory is not null)
            {
                if (Directory.Exists(Path.Combine(directory.FullName, "seeds")) && Directory.Exists(Path.Combine(directory.FullName, "src")))
                {
                    return directory.FullName;
                }

                directory = directory.Parent;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

/// <summary>Reads the training and evaluation files; a malformed line stops with the file, line and reason.</summary>
internal static class TrainingData
{
    public static List<LabelledComment> Load(string corpusDirectory, string? datasetDirectory, TextWriter log)
    {
        var files = Directory.EnumerateFiles(corpusDirectory, "train-*.tsv").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"No train-*.tsv files in {corpusDirectory}.");
        }

        if (datasetDirectory is not null && Directory.Exists(datasetDirectory))
        {
            files.AddRange(Directory.EnumerateFiles(datasetDirectory, "*.tsv").Order(StringComparer.Ordinal));
        }

        var examples = new List<LabelledComment>();
        foreach (var file in files)
        {
            var before = examples.Count;
            examples.AddRange(ReadFile(file));
            log.WriteLine($"train: {Path.GetFileName(file)}: {examples.Count - before:N0} examples");
        }

        return examples;
    }

    /// <summary>
    /// The files named, with a quoted wildcard in a file name ('seeds/corpus/heldout-*.tsv') expanded here in ordinal
    /// order, as a shell would, so the same command works quoted or not. A pattern matching nothing is an error.
    /// </summary>
    public static string[] Expand(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            var name = Path.GetFileName(argument);
            if (name.IndexOfAny(['*', '?']) < 0)
            {
                files.Add(argument);
                continue;
            }

            var directory = Path.GetDirectoryName(argument) is { Length: > 0 } d ? d : ".";
            var matches = Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, name).Order(StringComparer.Ordinal).ToList()
                : [];
            if (matches.Count == 0)
            {
                throw new FileNotFoundException($"No file matches {argument}.", argument);
            }

            files.AddRange(matches);
        }

        return [.. files];
    }

    public static IEnumerable<LabelledComment> ReadFile(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        foreach (var comment in CorpusReader.Read(reader, path))
        {
            yield return comment;
        }
    }

    public static LexiconSet LoadLexicons(string directory) =>
        LexiconSet.Parse(Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".tsv", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal))
            .Select(f => new KeyValuePair<string, string>(Path.GetFileName(f), File.ReadAllText(f))));

    public static string[] DefaultBenchFiles(string root)
    {
        var corpus = Path.Combine(root, "seeds", "corpus");
        return Directory.Exists(corpus)
            ? [.. Directory.EnumerateFiles(corpus, "heldout-*.tsv").Order(StringComparer.Ordinal), .. Directory.EnumerateFiles(corpus, "lookalikes.tsv")]
            : throw new DirectoryNotFoundException($"No corpus at {corpus}; pass --data.");
    }
}

/// <summary>`score`: one JSON object per input line, in order, streaming with constant memory.</summary>
internal static class ScoreStream
{
    public static async Task RunAsync(ICommentScorer scorer, TextReader input, Stream output, bool flushEachLine, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        // Relaxed escaping keeps "1.0.0+abc" readable; the output is JSON lines for programs, never embedded in HTML.
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var pending = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            var assessment = scorer.Score(line);
            Write(writer, assessment);
            await writer.FlushAsync(cancellationToken);
            writer.Reset();
            buffer.WriteByte((byte)'\n');
            pending++;
            if (flushEachLine || buffer.Length > 1 << 16)
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(output, cancellationToken);
                buffer.SetLength(0);
                await output.FlushAsync(cancellationToken);
                pending = 0;
            }
        }

        if (pending > 0 || buffer.Length > 0)
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(output, cancellationToken);
        }

        await output.FlushAsync(cancellationToken);
    }

    public static void Write(Utf8JsonWriter writer, ModelAssessment assessment)
    {
        var policy = ModerationPolicy.Default;
        writer.WriteStartObject();
        writer.WriteString("verdict", assessment.Verdict.ToString());
        writer.WriteStartObject("scores");
        foreach (var category in Categories.All)
        {
            writer.WriteNumber(category.CodeName(), Math.Round(assessment.Scores[category], 4));
        }

        writer.WriteEndObject();
        writer.WriteStartArray("categories");
        foreach (var category in Categories.All)
        {
            if (policy.IsAtOrAboveReview(category, assessment.Scores[category]))
            {
                writer.WriteStringValue(category.CodeName());
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("tags");
        foreach (var tag in assessment.Tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("reasons");
        foreach (var reason in assessment.Reasons)
        {
            writer.WriteStartObject();
            writer.WriteString("category", reason.Category.CodeName());
            writer.WriteNumber("score", Math.Round(reason.Score, 4));
            writer.WriteString("detector", reason.Detector);
            writer.WriteString("house_rule", reason.HouseRule);
            writer.WriteString("explanation", reason.Explanation);
            writer.WriteStartArray("spans");
            foreach (var span in reason.Spans)
            {
                writer.WriteStartObject();
                writer.WriteNumber("start", span.Start);
                writer.WriteNumber("length", span.Length);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("model_version", assessment.ModelVersion);
        writer.WriteBoolean("failed_closed", assessment.FailedClosed);
        writer.WriteEndObject();
    }
}

/// <summary>`bench`: load time, single-thread throughput, latency percentiles and allocations per comment.</summary>
internal static class Benchmark
{
    public sealed record Result(double LoadMilliseconds, int Comments, double MeanLength, long Scored, double CommentsPerSecond, double CommentsPerCpuSecond, double P50Microseconds, double P99Microseconds, double MaxMicroseconds, double BytesAllocatedPerComment, double LoadAverage)
    {
        /// <summary>CPU time of the measuring thread over the run (its own, whatever else the machine runs).</summary>
        public double CpuSeconds { get; init; }

        public double WallSeconds { get; init; }

        /// <summary>Garbage collections of each generation during the run.</summary>
        public (int Gen0, int Gen1, int Gen2) Collections { get; init; }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"model load: {LoadMilliseconds:F1} ms (wall clock, first load in this process, JIT included)\ncomments: {Comments:N0} distinct, mean {MeanLength:F0} chars (20-500), scored {Scored:N0} on one thread in {WallSeconds:F2} s wall clock, {CpuSeconds:F2} s of that thread's CPU\nthroughput: {CommentsPerSecond:N0} comments/s wall clock, {CommentsPerCpuSecond:N0} comments per CPU second ({1e6 / CommentsPerCpuSecond:F1} us CPU per comment)\nlatency: p50 {P50Microseconds:F1} us, p99 {P99Microseconds:F1} us, max {MaxMicroseconds:F1} us (wall clock, includes time the thread was not running)\nallocated: {BytesAllocatedPerComment:N0} bytes per comment; collections during the run: gen0 {Collections.Gen0}, gen1 {Collections.Gen1}, gen2 {Collections.Gen2}\nmachine load average (1 min) during the run: {LoadAverage:F1} on {Environment.ProcessorCount} CPUs");
    }

    /// <summary>CPU time of the calling thread from /proc/thread-self/stat (Linux; 10 ms resolution), null elsewhere.</summary>
    private static TimeSpan? ThreadCpuTime()
    {
        try
        {
            if (!File.Exists("/proc/thread-self/stat"))
            {
                return null;
            }

            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // After the command name: state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 1/100 s.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static double LoadAverage()
    {
        try
        {
            var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : string.Empty;
            return text.Length > 0 && double.TryParse(text.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public static Result Run(string modelPath, string[] comments, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (comments.Length == 0)
        {
            throw new InvalidDataException("No comments of 20-500 characters to replay.");
        }

        var load = Stopwatch.StartNew();
        var model = ModerationModel.Load(modelPath);
        load.Stop();

        // Warm up the JIT (tiered compilation promotes hot methods after a short delay) and the per-thread buffers.
        var warmUpUntil = Stopwatch.GetTimestamp() + (long)(Math.Min(1.0, duration.TotalSeconds / 4) * Stopwatch.Frequency);
        for (var i = 0; i < Math.Min(2000, comments.Length * 3) || Stopwatch.GetTimestamp() < warmUpUntil; i++)
        {
            model.Score(comments[i % comments.Length]);
        }

        var latencies = new long[1 << 22];
        var scored = 0L;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = ThreadCpuTime() ?? process.TotalProcessorTime;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var now = started;
        while (now < deadline && scored < latencies.Length && !cancellationToken.IsCancellationRequested)
        {
            var comment = comments[scored % comments.Length];
            model.Score(comment);
            var after = Stopwatch.GetTimestamp();
            latencies[scored++] = after - now;
            now = after;
        }

        var elapsed = Stopwatch.GetElapsedTime(started, now);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var collections = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        process.Refresh();
        var cpu = (ThreadCpuTime() ?? process.TotalProcessorTime) - cpuBefore;
        var measured = latencies.AsSpan(0, (int)scored);
        measured.Sort();
        double Micro(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
        return new Result(
            load.Elapsed.TotalMilliseconds,
            comments.Length,
            comments.Average(c => c.Length),
            scored,
            scored / elapsed.TotalSeconds,
            scored / Math.Max(1e-9, cpu.TotalSeconds),
            Micro(measured[(int)(scored * 0.50)]),
            Micro(measured[Math.Min((int)scored - 1, (int)(scored * 0.99))]),
            Micro(measured[^1]),
            allocated / (double)scored,
            LoadAverage())
        {
            CpuSeconds = cpu.TotalSeconds,
            WallSeconds = elapsed.TotalSeconds,
            Collections = collections,
        };
    }
}

/// <summary>Human and JSON renderings of evaluation results.</summary>
internal static class Reports
{
    public static string Text(EvaluationReport report, string modelVersion)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"model {modelVersion}, {report.Comments:N0} comments, {report.FailedClosed} failed closed");
        s.AppendLine("category              n+    n-   precision  recall   F1     ROC AUC  PR AUC   (at the review threshold)");
        foreach (var (category, m) in report.PerCategory)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"{category.CodeName(),-20} {m.Positives,5} {m.Negatives,5}   {m.Precision,7:F3}  {m.Recall,7:F3}  {m.F1,6:F3}  {m.RocAuc,7:F3}  {m.PrAuc,6:F3}");
        }

        var f = report.FlaggedVsClean;
        s.AppendLine(CultureInfo.InvariantCulture, $"{"flagged vs clean",-20} {f.Positives,5} {f.Negatives,5}   {f.Precision,7:F3}  {f.Recall,7:F3}  {f.F1,6:F3}  {f.RocAuc,7:F3}  {f.PrAuc,6:F3}");
        s.AppendLine(CultureInfo.InvariantCulture, $"flagged vs clean: macro-F1 {f.MacroF1:F3}, false-positive rate {f.FalsePositiveRate:F3}");
        s.AppendLine("actions by true label  n     review+  hidden  escalated  review-only");
        foreach (var a in report.Actions)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"{a.Group,-20} {a.Count,5}   {a.ReviewOrStronger,7:P1} {a.Hidden,7:P1} {a.Escalated,9:P1} {a.ReviewOnly,9:P1}");
        }

        return s.ToString();
    }

    public static string Json(EvaluationReport report, string modelVersion) => JsonSerializer.Serialize(new
    {
        model_version = modelVersion,
        comments = report.Comments,
        failed_closed = report.FailedClosed,
        per_category = report.PerCategory.ToDictionary(p => p.Key.CodeName(), p => Clean(p.Value)),
        flagged_vs_clean = Clean(report.FlaggedVsClean),
        actions = report.Actions,
    }, ModelCommands.JsonOptions);

    public static string CrossValidationText(IReadOnlyList<FoldResult> folds)
    {
        var s = new StringBuilder();
        s.AppendLine("fold  n      model macro-F1  baseline macro-F1  model ROC AUC  baseline ROC AUC  model FPR  baseline FPR");
        foreach (var f in folds)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"{f.Fold,4}  {f.TestCount,5}  {f.ModelMacroF1,14:F3}  {f.BaselineMacroF1,17:F3}  {f.ModelRocAuc,13:F3}  {f.BaselineRocAuc,16:F3}  {f.ModelFalsePositiveRate,9:F3}  {f.BaselineFalsePositiveRate,12:F3}");
        }

        s.AppendLine(CultureInfo.InvariantCulture,
            $"mean  {folds.Sum(f => f.TestCount),5}  {folds.Average(f => f.ModelMacroF1),14:F3}  {folds.Average(f => f.BaselineMacroF1),17:F3}  {folds.Average(f => f.ModelRocAuc),13:F3}  {folds.Average(f => f.BaselineRocAuc),16:F3}  {folds.Average(f => f.ModelFalsePositiveRate),9:F3}  {folds.Average(f => f.BaselineFalsePositiveRate),12:F3}");
        s.AppendLine(CultureInfo.InvariantCulture, $"std of macro-F1: model {Std(folds.Select(f => f.ModelMacroF1)):F3}, baseline {Std(folds.Select(f => f.BaselineMacroF1)):F3}");
        return s.ToString();
    }

    private static object Clean(BinaryMetrics m) => new
    {
        positives = m.Positives,
        negatives = m.Negatives,
        precision = Math.Round(m.Precision, 4),
        recall = Math.Round(m.Recall, 4),
        f1 = Math.Round(m.F1, 4),
        macro_f1 = Math.Round(m.MacroF1, 4),
        false_positive_rate = Math.Round(m.FalsePositiveRate, 4),
        roc_auc = double.IsNaN(m.RocAuc) ? (double?)null : Math.Round(m.RocAuc, 4),
        pr_auc = double.IsNaN(m.PrAuc) ? (double?)null : Math.Round(m.PrAuc, 4),
    };

    private static double Std(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, list.Count - 1));
    }
}

/// <summary>`--thresholds category=review,hide,escalate`: a page's overrides, for measuring them before setting them.</summary>
internal static class ThresholdOverrides
{
    public static ModerationPolicy? Parse(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            return null;
        }

        var overrides = new Dictionary<Category, CategoryThresholds>();
        foreach (var argument in arguments)
        {
            var parts = argument.Split('=', 2);
            if (parts.Length != 2 || !Categories.TryParse(parts[0].Trim(), out var category))
            {
                throw new FormatException($"--thresholds {argument}: expected category=review,hide,escalate with a category code name such as safeguarding.");
            }

            var values = parts[1].Split(',');
            if (values.Length != 3)
            {
                throw new FormatException($"--thresholds {argument}: give three numbers, review,hide,escalate.");
            }

            var numbers = values.Select(v => Number(argument, v.Trim())).ToArray();
            overrides[category] = new CategoryThresholds(numbers[0], numbers[1], numbers[2]);
        }

        try
        {
            return new ModerationPolicy(overrides);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"--thresholds: {e.Message}", e);
        }
    }

    private static double Number(string argument, string value) =>
        value.Equals("never", StringComparison.OrdinalIgnoreCase) ? ModerationPolicy.Never
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : throw new FormatException($"--thresholds {argument}: '{value}' is not a number.");
}
