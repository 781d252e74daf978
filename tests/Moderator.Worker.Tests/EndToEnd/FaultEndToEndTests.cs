using System.Diagnostics;
using Dapper;
using Moderator.Core;
using Moderator.Model;
using Moderator.Worker.Simulator;
using Xunit.Abstractions;
using static Moderator.Worker.Tests.EndToEnd.EndToEndComments;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>Each platform's own failures against a real worker process, then the school's access ends. Every platform.</summary>
public sealed class FaultEndToEndTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.Instagram)]
    [InlineData(Platform.X)]
    [InlineData(Platform.YouTube)]
    public async Task Platform_faults_lose_and_duplicate_nothing_and_lost_access_flags_the_page_alerts_and_stops_its_polls(Platform platform)
    {
        await using var site = await EndToEndHarness.StartAsync("faults", platform);
        var faults = site.Platform.InjectFaults();
        var posted = Pool.ToDictionary(text => site.Platform.AddComment(text), text => text);
        var clock = Stopwatch.StartNew();
        site.StartWorker();

        await site.WaitUntilAssessedAsync(posted.Keys, Deadline);
        var toHide = posted.Where(p => EndToEndHarness.Model.Score(p.Value).Verdict >= Verdict.Hide).Select(p => p.Key).ToList();
        await site.WaitUntilHiddenAsync(toHide, Deadline);
        output.WriteLine($"{platform}: all comments recorded and hidden {clock.Elapsed.TotalSeconds:F1} s after start through {faults} and {site.Platform.ThrottledResponses} throttled answers");

        await using var db = site.Connect();
        Assert.Equal(0, site.Platform.PendingFaults);
        Assert.Equal(posted.Count, await db.QuerySingleAsync<long>("SELECT count(*) FROM assessments"));
        // One hide per comment in the database and one applied hide call on the platform, although hide requests failed:
        // a retry first reads the comment, so a hide that took effect but answered too late is not sent again.
        Assert.All(posted.Keys, id => Assert.Equal(toHide.Contains(id) ? 1 : 0, site.Platform.HideCalls(id)));
        Assert.True(site.Platform.TotalHideRequests > toHide.Count, "some hide requests failed and were retried");
        var hideRows = (await db.QueryAsync<(string CommentId, string Status)>(
            "SELECT c.external_id, o.status FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE o.action = 'Hide'")).ToList();
        Assert.Equal(toHide.Order(StringComparer.Ordinal), hideRows.Select(r => r.CommentId).Order(StringComparer.Ordinal));
        await Eventually.HoldsAsync(async () => await db.QuerySingleAsync<long>("SELECT count(*) FROM outbox WHERE action = 'Hide' AND status <> 'Done'") == 0,
            Deadline, "every hide row is Done");
        output.WriteLine($"{platform}: {site.Platform.TotalHideRequests} hide requests for {toHide.Count} hides");

        if (site.Platform is SimulatedYouTube youtube)
        {
            await QuotaExceededStopsCallsUntilTheQuotaReturnsAndLosesNothingAsync(site, youtube, db);
        }

        // Access ends: the page is flagged for an administrator instead of being retried forever.
        clock.Restart();
        site.Platform.LoseAccess();
        site.Platform.AddComment("Lovely assembly today");
        await site.WithDiagnosticsAsync(() => Eventually.HoldsAsync(async () => await db.QuerySingleAsync<string>("SELECT status FROM pages WHERE id = @id", new { id = site.PageId }) == "NeedsReconnect",
            Deadline, "the page is marked NeedsReconnect"));
        output.WriteLine($"{platform}: NeedsReconnect {clock.Elapsed.TotalSeconds:F1} s after access ended");
        Assert.True(await db.QuerySingleAsync<long>("SELECT count(*) FROM alerts WHERE page_id = @id AND kind ILIKE '%reconnect%'", new { id = site.PageId }) >= 1);
        // A flagged page is no longer polled: its poll job leaves the schedule.
        await Eventually.HoldsAsync(async () => await db.QuerySingleAsync<long>("SELECT count(*) FROM qrtz_job_details WHERE job_name = @name", new { name = $"poll-{site.PageId:N}" }) == 0,
            Deadline, "the flagged page's poll job is removed");
        // Error paths (throttling, malformed answers, refused tokens) log no personal data or tokens either.
        site.AssertNothingPersonalLogged();
    }

    /// <summary>
    /// YouTube's quota belongs to the Google project and resets at midnight Pacific time: after a 403 <c>quotaExceeded</c>
    /// the worker stops calling Google (polls are deferred locally, the page stays Active); a restarted process still
    /// knows the day is spent (the count is in the database); and once a new quota day begins (here: the day's ledger row
    /// removed, as the test cannot move the worker's clock) the comment that arrived meanwhile is read: the cursor did not move.
    /// </summary>
    private async Task QuotaExceededStopsCallsUntilTheQuotaReturnsAndLosesNothingAsync(EndToEndHarness site, SimulatedYouTube youtube, Npgsql.NpgsqlConnection db)
    {
        const string Deferred = "deferred: RateLimited";
        int DeferredPolls() => CountOf(site.AllWorkerOutput(), Deferred);
        var before = DeferredPolls();
        youtube.SetQuotaSpent(1_000_000);
        var late = youtube.AddComment("Lovely assembly today, thank you");
        await Eventually.HoldsAsync(() => Task.FromResult(DeferredPolls() >= before + 2), Deadline, "polls are deferred for the spent quota");
        var listCalls = youtube.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads);
        await Eventually.HoldsAsync(() => Task.FromResult(DeferredPolls() >= before + 5), Deadline, "three more polls are deferred");
        Assert.Equal(listCalls, youtube.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
        Assert.Equal("Active", await db.QuerySingleAsync<string>("SELECT status FROM pages WHERE id = @id", new { id = site.PageId }));
        Assert.Equal(0, await db.QuerySingleAsync<long>("SELECT count(*) FROM comments WHERE external_id = @late", new { late }));
        output.WriteLine($"YouTube: {DeferredPolls() - before} polls deferred on the spent quota with no call to Google after the first 403");

        foreach (var worker in site.Workers)
        {
            await worker.TerminateAsync();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        youtube.SetQuotaSpent(0);
        site.StartWorker();
        var beforeRestart = DeferredPolls();
        await Eventually.HoldsAsync(() => Task.FromResult(DeferredPolls() >= beforeRestart + 2), Deadline, "the restarted worker defers polls for the day's spent quota");
        Assert.Equal(listCalls, youtube.Simulator.Calls(YouTubeSimulatorEndpoints.CommentThreads));
        output.WriteLine("YouTube: the restarted worker remembered the spent quota day and made no call to Google");

        await db.ExecuteAsync("DELETE FROM platform_usage WHERE platform = 'YouTube'");
        await site.WaitUntilAssessedAsync([late], Deadline);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
