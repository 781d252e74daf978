using System.Diagnostics;
using Dapper;
using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Xunit.Abstractions;
using static Moderator.Worker.Tests.EndToEnd.EndToEndComments;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>
/// Simulator → real `moderator run` processes → PostgreSQL → hide on the simulator, for the whole path of a comment, on
/// every platform. Expected actions come from the committed model's own verdicts, so the tests check the pipeline, not
/// the model. (Two-worker and fault runs are in their own classes so xunit can run them side by side.)
/// </summary>
public sealed class WorkerEndToEndTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.Instagram)]
    [InlineData(Platform.X)]
    [InlineData(Platform.YouTube)]
    public async Task Every_verdict_takes_its_path_from_simulator_to_database_to_hide_and_no_log_line_carries_personal_data(Platform platform)
    {
        await using var site = await EndToEndHarness.StartAsync("verdicts", platform);
        var expected = Pool.ToDictionary(text => text, text => EndToEndHarness.Model.Score(text).Verdict);
        Assert.All(Enum.GetValues<Verdict>(), v => Assert.Contains(v, expected.Values));

        // The worker is up and has polled once before the clock starts, so the times below are steady-state ones.
        site.StartWorker();
        await site.WaitUntilAssessedAsync([site.Platform.AddComment("Lovely assembly today")], Deadline);
        var clock = Stopwatch.StartNew();
        var topLevel = Pool[..6];
        var posted = topLevel.ToDictionary(text => site.Platform.AddComment(text), text => text);
        const string Unhideable = "fucking shambles this school, again";
        var unhideable = site.Platform.AddCommentTheSchoolCannotHide(Unhideable);
        await site.WaitUntilAssessedAsync([.. posted.Keys, .. unhideable is null ? Array.Empty<string>() : [unhideable]], Deadline);
        var assessedAfter = clock.Elapsed;
        var delays = (await site.WaitUntilHiddenAsync(posted.Where(p => expected[p.Value] >= Verdict.Hide).Select(p => p.Key), Deadline, clock)).Values.ToList();

        // Later, others answer the first comment, already read: more replies than YouTube embeds in a thread (5), and on
        // X replies between visitors deeper in the school's conversation.
        var parent = posted.First(p => p.Value == topLevel[0]).Key;
        clock.Restart();
        var replies = Pool[6..].ToDictionary(text => site.Platform.AddReply(parent, text), text => text);
        await site.WaitUntilAssessedAsync(replies.Keys, Deadline);
        var repliesAssessedAfter = clock.Elapsed;
        delays.AddRange((await site.WaitUntilHiddenAsync(replies.Where(p => expected[p.Value] >= Verdict.Hide).Select(p => p.Key), Deadline, clock)).Values);
        foreach (var (id, text) in replies)
        {
            posted[id] = text;
        }

        var toHide = posted.Where(p => expected[p.Value] >= Verdict.Hide).Select(p => p.Key).ToList();

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
            Assert.Equal(verdict >= Verdict.Hide, site.Platform.IsHidden(commentId));
            Assert.Equal(verdict >= Verdict.Hide ? 1 : 0, site.Platform.HideCalls(commentId));
        }

        if (unhideable is not null)
        {
            // X refuses to hide a reply in someone else's conversation: flagged "cannot hide", never counted as hidden.
            Assert.True(EndToEndHarness.Model.Score(Unhideable).Verdict >= Verdict.Hide, "the unhideable reply is one the school would hide");
            await site.WithDiagnosticsAsync(() => Eventually.HoldsAsync(
                async () => await db.QuerySingleAsync<long>("SELECT count(*) FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE c.external_id = @unhideable AND o.status = 'CannotAct'", new { unhideable }) == 1,
                Deadline, "the refused hide ends as CannotAct"));
            var flagged = await db.QuerySingleAsync<(string Visibility, string CannotActAction, bool CannotHide, long Alerts)>(
                """
                SELECT c.visibility, c.cannot_act_action, rc.cannot_hide,
                       (SELECT count(*) FROM alerts al WHERE al.kind = @kind AND al.entity_id = c.id::text)
                FROM comments c JOIN review_cases rc ON rc.comment_id = c.id WHERE c.external_id = @unhideable
                """, new { unhideable, kind = AlertKinds.PlatformCannotAct });
            Assert.Equal(("Visible", "Hide", true, 1L), flagged);
            Assert.False(site.Platform.IsHidden(unhideable));
            Assert.Equal(toHide.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM comments WHERE visibility = 'Hidden'"));
        }

        output.WriteLine($"{platform}: {topLevel.Length} comments assessed {assessedAfter.TotalSeconds:F2} s after posting, {replies.Count} later replies {repliesAssessedAfter.TotalSeconds:F2} s; time from posting to hidden over {delays.Count} comments: {Median(delays)} (poll interval 1 s, outbox 0.5 s)");

        // Escalations notified the DSL through the outbox (e-mail drop folder): ids and links only.
        var mailFolder = Path.Combine(site.Folder, "mail");
        await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(mailFolder) && Directory.GetFiles(mailFolder).Length > 0), Deadline, "the DSL's escalation e-mail is written");
        var mail = string.Join('\n', Directory.GetFiles(mailFolder).Select(File.ReadAllText));
        var logs = site.AllWorkerOutput();
        Assert.Contains("Assessed page", logs, StringComparison.Ordinal);
        foreach (var sentinel in NeverLogged.Concat(site.Platform.SecretsNeverLogged))
        {
            Assert.DoesNotContain(sentinel, logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(sentinel, mail, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Schedules_follow_the_pages_table_a_newly_approved_page_is_polled_and_a_deactivated_one_stops_without_a_restart()
    {
        await using var site = await EndToEndHarness.StartAsync("schedules");
        site.StartWorker();
        await using var db = site.Connect();
        await Eventually.HoldsAsync(async () => await PollJobsAsync(db) == 1, Deadline, "the first page has a poll job");

        var (newPageId, newPostId) = await site.AddApprovedPageAsync("later" + Guid.NewGuid().ToString("N")[..6]);
        var comment = site.Simulator.AddComment(newPostId, "Lovely harvest festival, thank you");
        await site.WaitUntilAssessedAsync([comment], Deadline);

        await site.DeactivateAsync(newPageId);
        await Eventually.HoldsAsync(async () => await db.QuerySingleAsync<long>("SELECT count(*) FROM qrtz_job_details WHERE job_name = @name", new { name = $"poll-{newPageId:N}" }) == 0,
            Deadline, "the deactivated page's poll job is removed");
        Assert.Equal(1, await PollJobsAsync(db));
    }

    internal static async Task<long> PollJobsAsync(Npgsql.NpgsqlConnection db)
    {
        try
        {
            return await db.QuerySingleAsync<long>("SELECT count(*) FROM qrtz_job_details WHERE job_group = 'pages'");
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0; // the worker has not provisioned Quartz's tables yet
        }
    }
}
