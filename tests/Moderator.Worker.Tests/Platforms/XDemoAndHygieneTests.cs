using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moderator.Core.Platforms;
using Moderator.Testing;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class XDemoAndHygieneTests
{
    [Fact]
    public async Task Logs_hold_no_reply_text_names_usernames_or_tokens()
    {
        const string Sentinel = "SENTINEL-Zebulon-07700900999";
        await using var x = await XHarness.StartAsync();
        var (_, replies) = x.SchoolPostWithReplies(3, Sentinel);
        var news = x.Simulator.AddAccount("SentinelNewsDesk", "Sentinel Newsdesk Person");
        var root = x.Simulator.AddPost(news.Id, "Sentinel headline");
        var foreign = x.Simulator.AddReply(x.Simulator.AddReply(root, x.School.Id, "Thanks"), x.Parent.Id, Sentinel + " foreign");
        var original = XCredentials.TryParse(x.Secret)!;
        x.Clock.Advance(TimeSpan.FromHours(3));

        var batch = await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        await x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None);
        await Assert.ThrowsAsync<PlatformException>(() => x.Connector.HideAsync(x.Access, foreign, CancellationToken.None));
        x.Simulator.FailNext(1, XSimulatedFault.TooManyRequests);
        await Assert.ThrowsAsync<PlatformException>(() => x.Connector.GetCommentAsync(x.Access, root, replies[1], CancellationToken.None));
        x.Simulator.RevokeAccess(x.School.Id);
        x.Clock.Advance(TimeSpan.FromHours(3));
        var revoked = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.HideAsync(x.Access, replies[2], CancellationToken.None));

        Assert.Equal(4, batch.Comments.Count);
        var refreshed = XCredentials.TryParse(Assert.Single(x.SavedSecrets))!;
        var forbidden = new[]
        {
            Sentinel, "Zebulon", "Priya", "Kettering", "sunnyparent77", "OakfieldPrimary", "Oakfield Primary", "SentinelNewsDesk", "Newsdesk",
            original.AccessToken, original.RefreshToken, refreshed.AccessToken, refreshed.RefreshToken, "simXat", "simXrt",
        };
        Assert.NotEmpty(x.Logs.Lines);
        foreach (var line in x.Logs.Lines)
        {
            foreach (var secret in forbidden)
            {
                Assert.DoesNotContain(secret, line, StringComparison.OrdinalIgnoreCase);
            }
        }

        foreach (var secret in forbidden)
        {
            Assert.DoesNotContain(secret, revoked.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, x.Access.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, refreshed.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(x.Logs.Lines, l => l.Contains("[5306]", StringComparison.Ordinal));
        Assert.Contains(x.Logs.Lines, l => l.Contains("[5307]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_feed_replays_replies_over_time_and_only_the_schools_own_conversations_can_be_hidden()
    {
        var path = XSimulator.LocateDemoFeed(AppContext.BaseDirectory) ?? XSimulator.LocateDemoFeed();
        Assert.NotNull(path);
        var feed = DemoFeed.Load(path);
        await using var x = await XHarness.StartAsync();
        var demo = x.Simulator.SeedDemo(feed, x.Clock.GetUtcNow(), "OakfieldDemo");
        var access = new PageAccess(demo.School.Id, demo.Credentials);

        var none = await x.Connector.ListNewCommentsAsync(access, null, CancellationToken.None);
        x.Clock.Advance(TimeSpan.FromSeconds(10));
        var early = await x.Connector.ListNewCommentsAsync(access, none.NextCursor, CancellationToken.None);
        x.Clock.Advance(TimeSpan.FromMinutes(1));
        var rest = await x.Connector.ListNewCommentsAsync(access, early.NextCursor, CancellationToken.None);

        Assert.InRange(feed.Count, 28, 40);
        Assert.Contains(feed, c => c.Expected == DemoExpectation.Escalate);
        Assert.Contains(feed, c => c.Expected == DemoExpectation.Complaint);
        Assert.Contains(demo.Replies, r => r.CannotBeHidden);
        var seen = early.Comments.Concat(rest.Comments).Select(c => c.ExternalId).ToList();
        Assert.Empty(none.Comments);
        Assert.InRange(early.Comments.Count, 1, demo.Replies.Count - 1);
        Assert.Equal(demo.Replies.Select(r => r.Id).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));

        foreach (var reply in demo.Replies.Where(r => r.ShouldBeHidden || r.CannotBeHidden))
        {
            if (reply.ShouldBeHidden)
            {
                await x.Connector.HideAsync(access, reply.Id, CancellationToken.None);
                Assert.True(x.Simulator.Post(reply.Id).IsHidden);
            }
            else
            {
                var error = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.HideAsync(access, reply.Id, CancellationToken.None));
                Assert.Equal(PlatformErrorKind.CannotHide, error.Kind);
            }
        }
    }

    [Fact]
    public void Out_of_range_options_are_refused_at_start_but_a_missing_client_id_is_not_so_sites_without_X_still_run()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["X:MaxResultsPerPage"] = "5",
            ["X:FirstPollLookback"] = "8.00:00:00",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddXConnector(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<XOptions>>().Value);

        Assert.DoesNotContain(error.Failures, f => f.Contains("ClientId", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("MaxResultsPerPage", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("FirstPollLookback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connector_is_registered_as_the_X_platform_port()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["X:ClientId"] = "client" }).Build();

        // The read meter books into the shared usage ledger, so the connector needs the database.
        using var services = new ServiceCollection().AddLogging().AddSingleton(await SharedDatabase.DataSourceAsync()).AddXConnector(configuration).BuildServiceProvider();

        var connector = Assert.Single(services.GetServices<IPlatformConnector>());

        Assert.Equal(Moderator.Core.Platform.X, connector.Platform);
    }
}
