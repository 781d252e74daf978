using Dapper;
using Moderator.Core;
using Moderator.Core.Workflow;
using Moderator.Model;
using Xunit.Abstractions;
using static Moderator.Worker.Tests.EndToEnd.EndToEndComments;

namespace Moderator.Worker.Tests.EndToEnd;

/// <summary>A hidden comment that two moderators decide to keep visible is shown again by the worker. Every platform.</summary>
public sealed class RestoreEndToEndTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Platform.Facebook)]
    [InlineData(Platform.Instagram)]
    [InlineData(Platform.X)]
    [InlineData(Platform.YouTube)]
    public async Task A_hidden_comment_both_moderators_keep_visible_is_shown_again_even_when_the_first_unhide_fails(Platform platform)
    {
        await using var site = await EndToEndHarness.StartAsync("restore", platform);
        var text = Pool.First(t => EndToEndHarness.Model.Score(t).Verdict == Verdict.Hide);
        site.StartWorker();
        var comment = site.Platform.AddComment(text);
        await site.WaitUntilHiddenAsync([comment], Deadline);

        await using var db = site.Connect();
        var caseId = await db.QuerySingleAsync<Guid>(
            "SELECT rc.id FROM review_cases rc JOIN comments c ON c.id = rc.comment_id WHERE c.external_id = @comment", new { comment });
        site.Platform.FailNextUnhide();
        var reviews = site.Service<Reviews>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var moderator in new[] { site.School.Moderator1Id, site.School.Moderator2Id })
        {
            await reviews.ClaimAsync(caseId, moderator);
            await reviews.DecideAsync(caseId, moderator, Decision.KeepVisible);
        }

        await site.WithDiagnosticsAsync(() => Eventually.HoldsAsync(() => Task.FromResult(!site.Platform.IsHidden(comment)), Deadline, "the comment is shown again on the platform"));
        output.WriteLine($"{platform}: shown again {clock.Elapsed.TotalSeconds:F2} s after the second decision, through one failed unhide");
        Assert.Equal(0, site.Platform.PendingFaults);
        await site.WithDiagnosticsAsync(() => Eventually.HoldsAsync(
            async () => await db.QuerySingleAsync<string>("SELECT o.status FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE c.external_id = @comment AND o.action = 'Unhide'", new { comment }) == "Done",
            Deadline, "the unhide is recorded done"));
        Assert.Equal(
            ("Visible", 2),
            await db.QuerySingleAsync<(string, int)>("SELECT c.visibility, o.attempts FROM outbox o JOIN comments c ON c.id = o.comment_id WHERE c.external_id = @comment AND o.action = 'Unhide'", new { comment }));
        Assert.Equal(1, site.Platform.HideCalls(comment));
    }
}
