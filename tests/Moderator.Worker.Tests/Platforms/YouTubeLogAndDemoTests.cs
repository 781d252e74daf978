using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.YouTube;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class YouTubeLogAndDemoTests
{
    [Fact]
    public async Task No_comment_text_author_name_phone_number_or_token_reaches_the_logs()
    {
        await using var harness = await YouTubeHarness.StartAsync(new() { ["YouTube:ModerationReserveUnits"] = "9800", ["YouTube:DailyQuotaUnits"] = "9810" });
        var foreign = harness.Simulator.AddVideo(harness.Channel.Id, "News", ownedByChannel: false);
        const string Text = "SENTINEL-TEXT-71 ring Zebedee on 07700 900999";
        const string Author = "Zebedee Quillfeather";
        var top = harness.Simulator.AddComment(harness.VideoId, Text, Author);
        var reply = harness.Simulator.AddComment(harness.VideoId, Text + " reply", Author, parentId: top);
        var onForeign = harness.Simulator.AddComment(foreign, Text, Author);
        var original = YouTubeDataClient.ReadCredentials(harness.Access);
        var errors = new List<PlatformException>();

        harness.Clock.Advance(TimeSpan.FromMinutes(59)); // refresh before the poll
        var batch = await harness.PollAsync();
        await harness.Connector.HideAsync(harness.Access, reply, CancellationToken.None);
        errors.Add(await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, onForeign, CancellationToken.None)));
        harness.Simulator.FailNext(1, SimulatedYouTubeFault.MalformedJson);
        errors.Add(await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync()));
        harness.Simulator.FailNext(1, SimulatedYouTubeFault.InternalServerError);
        errors.Add(await Assert.ThrowsAsync<PlatformException>(() => harness.PollAsync()));
        for (var i = 0; i < 10; i++)
        {
            errors.AddRange(await CaptureAsync(() => harness.PollAsync()));
        }

        harness.Simulator.RevokeAccess(harness.Channel.Id);
        harness.Clock.Advance(TimeSpan.FromHours(2));
        errors.Add(await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(harness.Access, top, CancellationToken.None)));

        var refreshed = YouTubeDataClient.ReadCredentials(harness.Access);
        string[] secrets =
        [
            "SENTINEL-TEXT-71", "Zebedee", "Quillfeather", "07700 900999", "07700900999",
            original.AccessToken, original.RefreshToken, refreshed.AccessToken, harness.Simulator.ClientSecret,
        ];
        Assert.Equal(3, batch.Comments.Count);
        Assert.Contains(errors, e => e.Kind == PlatformErrorKind.RateLimited);
        Assert.Contains(errors, e => e.Kind == PlatformErrorKind.AuthorizationFailed);
        Assert.NotEmpty(harness.Logs.Lines);
        foreach (var line in harness.Logs.Lines.Concat(errors.Select(e => e.ToString())).Concat(batch.Comments.Select(c => c.ToString())))
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void The_demo_feed_is_a_mixed_set_of_about_thirty_comments_including_the_foreign_video()
    {
        var path = YouTubeSimulator.LocateDemoFeed(AppContext.BaseDirectory);

        var feed = DemoFeed.Load(path!);

        Assert.InRange(feed.Count, 28, 40);
        Assert.All(Enum.GetValues<DemoExpectation>(), e => Assert.Contains(feed, c => c.Expected == e));
        Assert.Contains(feed, c => c.PostKey == YouTubeSimulator.ForeignDemoVideoKey && c.ShouldBeHidden);
        Assert.All(feed, c => Assert.DoesNotMatch(@"07\d{3} ?(?!900)\d{3}", c.Text));
    }

    [Fact]
    public async Task The_demo_channel_replays_its_feed_in_threads_that_the_connector_reads_back()
    {
        await using var harness = await YouTubeHarness.StartAsync();
        var demo = harness.Simulator.AddDemoChannel();
        var feed = DemoFeed.Load(YouTubeSimulator.LocateDemoFeed(AppContext.BaseDirectory)!);
        var replay = harness.Simulator.StartDemoReplay(demo, feed);
        var access = harness.NewAccess(harness.Simulator.CredentialsFor(demo.Channel.Id));
        var demoAccess = new PageAccess(demo.Channel.Id, access.AccessToken);

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await replay.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        var batch = await harness.Connector.ListNewCommentsAsync(demoAccess, null, CancellationToken.None);

        Assert.Equal(feed.Count, replay.Posted.Count);
        Assert.Equal(replay.Posted.Select(p => p.CommentId).Order(StringComparer.Ordinal), batch.Comments.Select(c => c.ExternalId).Order(StringComparer.Ordinal));
        Assert.Contains(batch.Comments, c => c.ParentExternalId is not null);
        var foreignVideo = demo.VideoIds[YouTubeSimulator.ForeignDemoVideoKey];
        var foreignHarmful = replay.Posted.First(p => p.Source.PostKey == YouTubeSimulator.ForeignDemoVideoKey && p.Source.ShouldBeHidden);
        var error = await Assert.ThrowsAsync<PlatformException>(() => harness.Connector.HideAsync(demoAccess, foreignHarmful.CommentId, CancellationToken.None));
        Assert.Equal(PlatformErrorKind.CannotHide, error.Kind);
        Assert.Equal(foreignVideo, harness.Simulator.Comment(foreignHarmful.CommentId).VideoId);
    }

    private static async Task<IReadOnlyList<PlatformException>> CaptureAsync(Func<Task> call)
    {
        try
        {
            await call();
            return [];
        }
        catch (PlatformException e)
        {
            return [e];
        }
    }
}
