using Moderator.Worker.Simulator;
using Xunit.Abstractions;

namespace Moderator.Worker.Tests.Platforms;

public sealed class InstagramSimulatorDemoTests(ITestOutputHelper output)
{
    private static IReadOnlyList<DemoComment> Feed() =>
        DemoFeed.Load(DemoFeed.Locate(AppContext.BaseDirectory, DemoFeed.InstagramRelativePath) ?? throw new InvalidOperationException("seeds/demo/instagram-comments.tsv not found"));

    [Fact]
    public void Instagram_demo_feed_has_about_forty_comments_with_benign_complaint_and_harmful_ones_within_a_minute()
    {
        var feed = Feed();

        Assert.InRange(feed.Count, 38, 50);
        double Share(params DemoExpectation[] kinds) => (double)feed.Count(c => kinds.Contains(c.Expected)) / feed.Count;
        Assert.InRange(Share(DemoExpectation.Allow), 0.45, 0.7);
        Assert.InRange(Share(DemoExpectation.Complaint), 0.1, 0.2);
        Assert.InRange(Share(DemoExpectation.Review, DemoExpectation.Hide, DemoExpectation.Escalate), 0.2, 0.35);
        Assert.Contains(feed, c => c.Expected == DemoExpectation.Escalate);
        Assert.All(feed, c => Assert.InRange(c.Delay, TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        Assert.Contains(feed, c => c.Text.Contains("07700 900", StringComparison.Ordinal));
        Assert.All(feed, c => Assert.DoesNotMatch(@"https?://(?![\w.-]*example\.(com|net|org))", c.Text));
    }

    [Fact]
    public async Task The_real_connector_reads_the_demo_account_served_over_http_and_a_second_poll_finds_nothing_new()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await InstagramHarness.StartAsync(clock: clock);
        var school = harness.Simulator.AddDemoAccount();
        var feed = Feed();
        var replay = harness.Simulator.StartDemoReplay(school, feed);
        clock.Advance(TimeSpan.FromSeconds(20));
        await Eventually.WaitUntilAsync(() => replay.Posted.Count == feed.Count(c => c.Delay <= TimeSpan.FromSeconds(20)), because: "comments due in the first 20 s");
        var access = new Moderator.Core.Platforms.PageAccess(school.Page.Id, school.Page.AccessToken);
        var first = await harness.Connector.ListNewCommentsAsync(access, null, CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(40));
        await replay.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        var requestsBeforeSecond = harness.Simulator.TotalRequests;
        var second = await harness.Connector.ListNewCommentsAsync(access, first.NextCursor, CancellationToken.None);
        var requestsBeforeThird = harness.Simulator.TotalRequests;
        var third = await harness.Connector.ListNewCommentsAsync(access, second.NextCursor, CancellationToken.None);
        var quietPollRequests = harness.Simulator.TotalRequests - requestsBeforeThird;
        output.WriteLine($"demo: {feed.Count} comments on {school.PostIds.Count} media; requests: first poll {requestsBeforeSecond}, second {requestsBeforeThird - requestsBeforeSecond}, quiet poll {quietPollRequests}; cursor {third.NextCursor!.Length} chars");

        Assert.Equal(InstagramSimulator.DemoUsername, school.Page.Name);
        Assert.Equal(feed.Count, first.Comments.Count + second.Comments.Count);
        Assert.Empty(first.Comments.Select(c => c.ExternalId).Intersect(second.Comments.Select(c => c.ExternalId)));
        Assert.Equal(
            feed.Select(c => c.Text).Order(StringComparer.Ordinal),
            first.Comments.Concat(second.Comments).Select(c => c.Text).Order(StringComparer.Ordinal));
        Assert.Empty(third.Comments);
        Assert.Equal(1, quietPollRequests);
        Assert.InRange(third.NextCursor!.Length, 1, 2000);
        Assert.All(replay.Posted, posted => Assert.Equal(school.PostIds[posted.Source.PostKey], harness.Simulator.Comment(posted.CommentId).PostId));
    }
}
