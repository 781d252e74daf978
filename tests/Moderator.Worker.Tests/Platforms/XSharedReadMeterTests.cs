using Microsoft.Extensions.DependencyInjection;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>The X app's monthly post reads are one count for every worker node, and they outlive a restart.</summary>
public sealed class XSharedReadMeterTests
{
    private static readonly Dictionary<string, string?> CapOfFive = new()
    {
        ["X:MonthlyPostReadCap"] = "5",
        ["X:MaxTrackedConversations"] = "0",
    };

    [Fact]
    public async Task Two_nodes_share_one_X_month_of_post_reads()
    {
        await using var x = await XHarness.StartAsync(CapOfFive);
        x.SchoolPostWithReplies(3);
        await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        x.SchoolPostWithReplies(3);

        var other = x.AnotherNodeServices();
        await other.GetRequiredService<XConnector>().ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        var cappedOnFirst = await Assert.ThrowsAsync<PlatformException>(() => x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None));

        Assert.Equal(PlatformErrorKind.RateLimited, cappedOnFirst.Kind);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - x.Clock.GetUtcNow(), cappedOnFirst.RetryAfter);
        Assert.Equal(2, x.Simulator.Calls(XSimulatorEndpoints.Search));
        Assert.Equal(9, await x.Meter.PostReadsThisMonthAsync(CancellationToken.None));
        Assert.Equal(9, await other.GetRequiredService<XReadMeter>().PostReadsThisMonthAsync(CancellationToken.None));
        Assert.Equal(3, x.Meter.LastPoll(x.School.Id)!.PostReads);
    }

    [Fact]
    public async Task A_restarted_worker_remembers_the_months_post_reads()
    {
        await using var x = await XHarness.StartAsync(CapOfFive);
        x.SchoolPostWithReplies(6);
        await x.Connector.ListNewCommentsAsync(x.Access, null, CancellationToken.None);
        await x.Services.DisposeAsync();

        var restarted = x.AnotherNodeServices();
        var capped = await Assert.ThrowsAsync<PlatformException>(() => restarted.GetRequiredService<XConnector>().ListNewCommentsAsync(x.Access, null, CancellationToken.None));
        x.Clock.Advance(capped.RetryAfter!.Value);
        var nextMonth = await restarted.GetRequiredService<XReadMeter>().PostReadsThisMonthAsync(CancellationToken.None);

        Assert.Equal(PlatformErrorKind.RateLimited, capped.Kind);
        Assert.Null(capped.HttpStatus);
        Assert.Equal(1, x.Simulator.Calls(XSimulatorEndpoints.Search));
        Assert.Equal(0, nextMonth);
    }
}
