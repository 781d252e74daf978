using System.Diagnostics;
using Dapper;
using Moderator.Model;
using Moderator.Worker.Simulator;
using Xunit.Abstractions;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>
/// Simulator → real `moderator run` processes → PostgreSQL → hide on the simulator, for the whole path of a comment.
/// Expected actions come from the committed model's own verdicts, so the tests check the pipeline, not the model.
/// </summary>
public sealed class WorkerEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // Sentinels that must never reach a log line: a pupil's name, a phone number, a marker word, an author's name.
    private const string SentinelName = "Zebediah Quillfeather";
    private const string SentinelPhone = "07700 900461";
    private const string SentinelWord = "Xylocarpous";
    private const string SentinelAuthor = "Philippa Sentinelworth";

    private static readonly string[] Pool =
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

    [Fact]
    public async Task Every_verdict_takes_its_path_from_simulator_to_database_to_hide_and_no_log_line_carries_personal_data()
    {
        await using var site = await EndToEndHarness.StartAsync("verdicts");
        var expected = Pool.ToDictionary(text => text, text => EndToEndHarness.Model.Score(text).Verdict);
        Assert.All(Enum.GetValues<Verdict>(), v => Assert.Contains(v, expected.Values));

        site.StartWorker();
        var posted = Pool.ToDictionary(text => site.Simulator.AddComment(site.PostId, text, SentinelAuthor), text => text);
        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        var toHide = posted.Where(p => expected[p.Value] >= Verdict.Hide).Select(p => p.Key).ToList();
        await site.WaitUntilHiddenAsync(toHide, Deadline);

        await using var db = site.Connect();
        foreach (var (commentId, text) in posted)
        {
            var verdict = expected[text];
            var row = await db.QuerySingleAsync<(string Verdict, long Cases, long Escalations)>(
                """
                SELECT a.verdict,
                       (SELECT count(*) FROM review_cases rc WHERE rc.comment_id = c.id),
                       (SELECT count(*) FROM escalations e WHERE e.comment_id = c.id)
                FROM comments c JOIN comment_revisions r ON r.comment_id = c.id JOIN assessments a ON a.revision_id = r.id
                WHERE c.external_id = @commentId
                """, new { commentId });
            Assert.Equal(verdict.ToString(), row.Verdict);
            Assert.Equal(verdict >= Verdict.Review ? 1 : 0, row.Cases);
            Assert.Equal(verdict == Verdict.HideAndEscalate ? 1 : 0, row.Escalations);
            var state = site.Simulator.Comment(commentId);
            Assert.Equal(verdict >= Verdict.Hide, state.IsHidden);
            Assert.False(state.IsDeleted);
        }

        // Time from a comment appearing on the page to its hide, as the simulator saw it.
        var delays = toHide.Select(id => site.Simulator.Comment(id)).Select(s => (s.HiddenAt!.Value - s.AppearedAt).TotalSeconds).Order().ToList();
        output.WriteLine($"time to hide over {delays.Count} comments: median {delays[delays.Count / 2]:F2} s, max {delays[^1]:F2} s (poll interval 1 s)");

        // Escalations notified the DSL through the outbox (e-mail drop folder): ids and links only.
        await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(Path.Combine(site.Folder, "mail")) && Directory.GetFiles(Path.Combine(site.Folder, "mail")).Length > 0),
            Deadline, "the DSL's escalation e-mail is written");
        var mail = string.Join('\n', Directory.GetFiles(Path.Combine(site.Folder, "mail")).Select(File.ReadAllText));
        var logs = site.AllWorkerOutput();
        Assert.Contains("Assessed page", logs, StringComparison.Ordinal);
        foreach (var sentinel in new[] { SentinelName, "Quillfeather", SentinelPhone, "900461", SentinelWord, SentinelAuthor, EndToEndHarness.PageToken, "snap", "hurt myself" })
        {
            Assert.DoesNotContain(sentinel, logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(sentinel, mail, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Two_workers_assess_every_comment_once_and_hide_it_once_even_when_one_is_killed_mid_run()
    {
        await using var site = await EndToEndHarness.StartAsync("twoworkers");
        var first = site.StartWorker();
        site.StartWorker();
        var posted = new Dictionary<string, string>();
        void Post(int round)
        {
            foreach (var text in Pool)
            {
                posted[site.Simulator.AddComment(site.PostId, $"{text} ({round})")] = text;
            }
        }

        Post(1);
        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        Post(2);
        first.KillHard(); // SIGKILL: no shutdown code runs, its Quartz node and outbox leases are left behind
        Post(3);

        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        var toHide = posted.Where(p => EndToEndHarness.Model.Score(p.Value).Verdict >= Verdict.Hide).Select(p => p.Key).ToList();
        await site.WaitUntilHiddenAsync(toHide, Deadline);

        await using var db = site.Connect();
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM assessments"));
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM comment_revisions"));
        var outboxRows = (await db.QueryAsync<(string CommentId, long Rows)>(
            "SELECT c.external_id, count(*) FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE o.action = 'Hide' GROUP BY 1")).ToDictionary(r => r.CommentId, r => r.Rows);
        foreach (var id in toHide)
        {
            Assert.True(1 == site.Simulator.Comment(id).HideCalls, $"comment {id}: {site.Simulator.Comment(id).HideCalls} hide calls from {outboxRows.GetValueOrDefault(id)} outbox rows");
        }

        Assert.Equal(toHide.Count, site.Simulator.Calls("POST hide"));
    }

    [Fact]
    public async Task Platform_faults_lose_and_duplicate_nothing_and_an_expired_token_flags_the_page()
    {
        await using var site = await EndToEndHarness.StartAsync("faults");
        site.Simulator.FailNext(2, SimulatedFault.TooManyRequests);
        foreach (var code in new[] { 4, 17, 32, 613, 80001 })
        {
            site.Simulator.FailNext(1, SimulatedFault.RateLimitCode, code);
        }

        site.Simulator.FailNext(1, SimulatedFault.InternalServerError);
        site.Simulator.FailNext(1, SimulatedFault.ServiceUnavailable);
        site.Simulator.FailNext(1, SimulatedFault.Timeout);
        site.Simulator.FailNext(1, SimulatedFault.MalformedJson);
        var posted = Pool.ToDictionary(text => site.Simulator.AddComment(site.PostId, text), text => text);
        var clock = Stopwatch.StartNew();
        site.StartWorker();

        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        var toHide = posted.Where(p => EndToEndHarness.Model.Score(p.Value).Verdict >= Verdict.Hide).Select(p => p.Key).ToList();
        await site.WaitUntilHiddenAsync(toHide, Deadline);
        output.WriteLine($"all comments recorded and hidden {clock.Elapsed.TotalSeconds:F1} s after start through {site.Simulator.ThrottledResponses} throttled answers");

        await using var db = site.Connect();
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM assessments"));
        Assert.All(toHide, id => Assert.Equal(1, site.Simulator.Comment(id).HideCalls));

        // The token expires: the page is flagged for an administrator instead of being retried forever.
        site.Simulator.ExpireToken(site.Page.Id);
        site.Simulator.AddComment(site.PostId, "Lovely assembly today");
        await Eventually.HoldsAsync(async () => await db.QuerySingleAsync<string>("SELECT status FROM pages WHERE id = @id", new { id = site.PageId }) == "NeedsReconnect",
            Deadline, "the page is marked NeedsReconnect");
        Assert.True(await db.QuerySingleAsync<long>("SELECT count(*) FROM alerts WHERE page_id = @id AND kind ILIKE '%reconnect%'", new { id = site.PageId }) >= 1);
        // A flagged page is no longer polled: its poll job leaves the schedule.
        await Eventually.HoldsAsync(async () => await db.QuerySingleAsync<long>("SELECT count(*) FROM qrtz_job_details WHERE job_name = @name", new { name = $"poll-{site.PageId:N}" }) == 0,
            Deadline, "the flagged page's poll job is removed");
    }
}
