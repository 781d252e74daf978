namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>What visitors write in the process-level tests, and the sentinels that must never reach a log line.</summary>
internal static class EndToEndComments
{
    /// <summary>Long enough for any platform to take its time, short enough for a failing run to end.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // Sentinels that must never reach a log line: a pupil's name, a phone number, a marker word (authors' names carry
    // SimulatedPlatform.AuthorSentinel).
    public const string SentinelName = "Zebediah Quillfeather";
    public const string SentinelPhone = "07700 900461";
    public const string SentinelWord = "Xylocarpous";

    /// <summary>At least one comment per verdict of the committed model.</summary>
    public static readonly string[] Pool =
    [
        $"Lovely photos, thank you to all the staff! {SentinelWord} day was great",
        "The homework this term is far too much for Year 4, please review the policy",
        "what the hell is going on with the car park",
        "Mrs Patel is useless and everyone knows it",
        $"Well done {SentinelName} in 4B, call his mum on {SentinelPhone}",
        $"{SentinelName} lives at 14 Marigold Road, she is 8",
        "dm me sweetie how old are you, what's your snap? our little secret",
        "I'm going to hurt myself tonight nobody would miss me",
        "Free iPads for parents, click bit.ly/fr33pad now to claim",
        "fucking shambles this school",
        "Can't wait for the nativity next week, well done everyone",
        $"{SentinelWord} is a lovely word my son learnt today",
    ];

    /// <summary>Text that must never be logged besides the platform's own secrets.</summary>
    public static readonly string[] NeverLogged =
        [SentinelName, "Quillfeather", SentinelPhone, "900461", SentinelWord, SimulatedPlatform.AuthorSentinel, "snap", "hurt myself"];

    public static string Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? "-" : $"median {sorted[sorted.Count / 2].TotalSeconds:F2} s, max {sorted[^1].TotalSeconds:F2} s";
    }
}
