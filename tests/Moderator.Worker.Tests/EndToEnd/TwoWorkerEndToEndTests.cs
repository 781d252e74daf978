using Dapper;
using Moderator.Core;
using Moderator.Model;
using Xunit.Abstractions;
using static Moderator.Worker.Tests.EndToEnd.EndToEndComments;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>Two real worker processes share one site; one is SIGKILLed mid-run. Every platform.</summary>
public sealed class TwoWorkerEndToEndTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.Instagram)]
    [InlineData(Platform.X)]
    [InlineData(Platform.YouTube)]
    public async Task Two_workers_assess_every_comment_once_and_hide_it_once_even_when_one_is_killed_mid_run(Platform platform)
    {
        await using var site = await EndToEndHarness.StartAsync("twoworkers", platform);
        var first = site.StartWorker();
        site.StartWorker();
        var posted = new Dictionary<string, string>();
        void Post(int round)
        {
            foreach (var text in Pool)
            {
                posted[site.Platform.AddComment($"{text} ({round})")] = text;
            }
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Post(1);
        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        Post(2);
        first.KillHard(); // SIGKILL: no shutdown code runs, its Quartz node and outbox leases are left behind
        Post(3);

        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        var toHide = posted.Where(p => EndToEndHarness.Model.Score(p.Value).Verdict >= Verdict.Hide).Select(p => p.Key).ToList();
        await site.WaitUntilHiddenAsync(toHide, Deadline);
        output.WriteLine($"{platform}: {posted.Count} comments in 3 rounds, {toHide.Count} hidden, all done {clock.Elapsed.TotalSeconds:F1} s after the first round");

        await using var db = site.Connect();
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM assessments"));
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM comment_revisions"));
        var outboxRows = (await db.QueryAsync<(string CommentId, long Rows)>(
            "SELECT c.external_id, count(*) FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE o.action = 'Hide' GROUP BY 1")).ToDictionary(r => r.CommentId, r => r.Rows);
        foreach (var id in posted.Keys)
        {
            var expected = toHide.Contains(id) ? 1 : 0;
            Assert.True(expected == site.Platform.HideCalls(id), $"comment {id}: {site.Platform.HideCalls(id)} hide calls from {outboxRows.GetValueOrDefault(id)} outbox rows");
        }

        Assert.Equal(toHide.Count, site.Platform.TotalHideRequests);
    }
}
