using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookSimulatorDemoTests
{
    private static IReadOnlyList<DemoComment> Feed() =>
        DemoFeed.Load(DemoFeed.Locate(AppContext.BaseDirectory) ?? throw new InvalidOperationException("seeds/demo/facebook-comments.tsv not found"));

    [Fact]
    public void Demo_feed_has_at_least_sixty_comments_with_benign_complaint_and_harmful_ones_within_a_minute()
    {
        var feed = Feed();

        Assert.True(feed.Count >= 60, $"{feed.Count} comments");
        double Share(params DemoExpectation[] kinds) => (double)feed.Count(c => kinds.Contains(c.Expected)) / feed.Count;
        Assert.InRange(Share(DemoExpectation.Allow), 0.5, 0.7);
        Assert.InRange(Share(DemoExpectation.Complaint), 0.1, 0.2);
        Assert.InRange(Share(DemoExpectation.Review, DemoExpectation.Hide, DemoExpectation.Escalate), 0.2, 0.35);
        Assert.Contains(feed, c => c.Expected == DemoExpectation.Escalate);
        Assert.All(feed, c => Assert.InRange(c.Delay, TimeSpan.Zero, TimeSpan.FromMinutes(1)));
        Assert.Contains(feed, c => c.Text.Contains("07700 900", StringComparison.Ordinal));
    }

    [Fact]
    public void A_feed_line_with_an_unknown_expectation_is_refused()
    {
        var error = Assert.Throws<FormatException>(() => DemoFeed.Parse(["delay_seconds\tpost\texpected\ttext", "5\tsports-day\tmaybe\tHello"]));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_replay_posts_each_comment_once_its_delay_has_passed_on_the_clock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        await using var simulator = new FacebookSimulator(clock);
        var school = simulator.AddDemoSchool();
        var feed = Feed();

        var replay = simulator.StartDemoReplay(school, feed);
        var dueBy20 = feed.Count(c => c.Delay <= TimeSpan.FromSeconds(20));
        clock.Advance(TimeSpan.FromSeconds(20));
        await Eventually.WaitUntilAsync(() => replay.Posted.Count == dueBy20, because: "comments due in the first 20 s");
        Assert.Equal(dueBy20, simulator.Comments(school.Page.Id).Count);

        clock.Advance(TimeSpan.FromSeconds(40));
        await replay.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        var comments = simulator.Comments(school.Page.Id);
        Assert.Equal(feed.Count, comments.Count);
        Assert.Equal(FacebookSimulator.DemoSchoolName, school.Page.Name);
        Assert.All(replay.Posted, posted =>
        {
            var state = simulator.Comment(posted.CommentId);
            Assert.Equal(posted.Source.Text, state.Message);
            Assert.Equal(school.PostIds[posted.Source.PostKey], state.PostId);
            Assert.Equal(clock.GetUtcNow() - TimeSpan.FromSeconds(60) + posted.Source.Delay, state.AppearedAt);
        });
    }

    [Fact]
    public async Task The_real_connector_reads_the_demo_page_served_over_http()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = await GraphHarness.StartAsync(clock: clock);
        var school = harness.Simulator.AddDemoSchool();
        var feed = Feed();
        var replay = harness.Simulator.StartDemoReplay(school, feed);
        clock.Advance(TimeSpan.FromMinutes(1));
        await replay.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        var batch = await harness.Connector.ListNewCommentsAsync(new(school.Page.Id, school.Page.AccessToken), null, CancellationToken.None);

        Assert.Equal(feed.Count, batch.Comments.Count);
        Assert.Equal(feed.Select(c => c.Text).Order(StringComparer.Ordinal), batch.Comments.Select(c => c.Text).Order(StringComparer.Ordinal));
    }
}
