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
        var firstRound = clock.Elapsed;
        Post(2);
        first.KillHard(); // SIGKILL: no shutdown code runs, its Quartz node and outbox leases are left behind
        Post(3);

        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        var afterKill = clock.Elapsed;
        var toHide = posted.Where(p => EndToEndHarness.Model.Score(p.Value).Verdict >= Verdict.Hide).Select(p => p.Key).ToList();
        await site.WaitUntilHiddenAsync(toHide, Deadline);
        output.WriteLine($"{platform}: {posted.Count} comments in 3 rounds, {toHide.Count} hidden; first round assessed after {firstRound.TotalSeconds:F1} s, the rounds around the kill after {(afterKill - firstRound).TotalSeconds:F1} s more, all hidden {clock.Elapsed.TotalSeconds:F1} s after the first round");

        await using var db = site.Connect();
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM assessments"));
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM comment_revisions"));
        var attempts = (await db.QueryAsync<(string CommentId, int Attempts)>(
            "SELECT c.external_id, o.attempts FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE o.action = 'Hide'")).ToDictionary(r => r.CommentId, r => r.Attempts);
        Assert.Equal(toHide.Order(StringComparer.Ordinal), attempts.Keys.Order(StringComparer.Ordinal));
        foreach (var id in posted.Keys)
        {
            // One hide call per hidden comment; where the platform cannot say whether a comment is hidden (X), a hide the
            // killed worker had claimed is sent again by the survivor (idempotent there), never more than once per attempt.
            var calls = site.Platform.HideCalls(id);
            var allowed = !toHide.Contains(id) ? 0 : site.Platform.RetriedHideIsSentAgain ? attempts[id] : 1;
            Assert.True(toHide.Contains(id) ? calls >= 1 && calls <= allowed : calls == 0, $"comment {id}: {calls} hide calls, {attempts.GetValueOrDefault(id)} outbox attempts");
        }

        var repeated = toHide.Sum(site.Platform.HideCalls) - toHide.Count;
        Assert.Equal(toHide.Count + repeated, site.Platform.TotalHideRequests);
        Assert.True(repeated == 0 || site.Platform.RetriedHideIsSentAgain, $"{repeated} hides were sent twice");
        site.AssertNothingPersonalLogged();
        output.WriteLine($"{platform}: {site.Platform.TotalHideRequests} hide requests for {toHide.Count} hides ({repeated} repeated after the kill)");
    }
}
