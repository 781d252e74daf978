using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Moderator.Core;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Testing;
using Moderator.Worker.Polling;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// A retried outbox action on X (the first attempt failed, timed out or its worker died): X's API does not say whether a
/// reply is hidden, so the retry must be sent again (hide and unhide are idempotent there) rather than judged already done
/// from a post lookup that always reads "not hidden".
/// </summary>
public sealed class XRetriedActionTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_retried_unhide_is_carried_out_although_a_lookup_of_the_reply_cannot_show_it_hidden()
    {
        await using var x = await XHarness.StartAsync(start: XHarness.Start.AddDays(4));
        var (post, replies) = x.SchoolPostWithReplies(1);
        await x.Connector.HideAsync(x.Access, replies[0], CancellationToken.None);

        await ExecutorFor(x).ExecuteAsync(RequestFor(x, PlatformActionKind.Unhide, post, replies[0], attempt: 2), CancellationToken.None);

        Assert.False(x.Simulator.Post(replies[0]).IsHidden);
        Assert.Equal(1, x.Simulator.Post(replies[0]).UnhideCalls);
    }

    [Fact]
    public async Task A_retried_hide_is_sent_again_without_a_billed_lookup()
    {
        await using var x = await XHarness.StartAsync(start: XHarness.Start.AddDays(5));
        var (post, replies) = x.SchoolPostWithReplies(1);

        await ExecutorFor(x).ExecuteAsync(RequestFor(x, PlatformActionKind.Hide, post, replies[0], attempt: 2), CancellationToken.None);

        Assert.True(x.Simulator.Post(replies[0]).IsHidden);
        Assert.Equal(1, x.Simulator.Post(replies[0]).HideCalls);
        Assert.Equal(0, x.Simulator.Calls(XSimulatorEndpoints.Lookup));
    }

    private readonly SecretProtector _protector = new(new EphemeralDataProtectionProvider());

    private PlatformActionExecutor ExecutorFor(XHarness x) =>
        new(_protector, new Organisation(db.DataSource, x.Clock, NullLogger<Organisation>.Instance), [x.Connector], NullLogger<PlatformActionExecutor>.Instance);

    private PlatformActionRequest RequestFor(XHarness x, PlatformActionKind action, string postId, string replyId, int attempt) =>
        new(1, $"x-retry-{replyId}", action, Guid.NewGuid(), Platform.X, x.School.Id, _protector.Protect(x.Secret), Guid.NewGuid(), replyId, attempt)
        {
            PostExternalId = postId,
        };
}
