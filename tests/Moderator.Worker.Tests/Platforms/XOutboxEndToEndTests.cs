using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Testing;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Polling;
using Npgsql;
using WorkflowComment = Moderator.Core.Workflow.IncomingComment;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// The outbox on a real PostgreSQL database carries out hides through the real executor and X connector against the
/// X simulator: a hide X refuses ends as CannotAct with the comment flagged and alerted, a refreshed token is stored
/// encrypted in the pages table, and revoked access blocks the page for reconnection.
/// </summary>
public sealed class XOutboxEndToEndTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Hide_in_the_schools_conversation_is_done_and_a_hide_x_refuses_is_flagged_cannot_hide_and_alerted()
    {
        await using var x = await XHarness.StartAsync(start: XHarness.Start.AddDays(1));
        var world = await World.CreateAsync(db.DataSource, x);
        var (_, replies) = x.SchoolPostWithReplies(1);
        var news = x.Simulator.AddAccount("TownNews" + Guid.NewGuid().ToString("N")[..6], "Town News");
        var root = x.Simulator.AddPost(news.Id, "News");
        var foreign = x.Simulator.AddReply(x.Simulator.AddReply(root, x.School.Id, "Thanks"), x.Parent.Id, "harmful reply elsewhere");

        var own = await world.RecordHideAsync(replies[0]);
        var refused = await world.RecordHideAsync(foreign);
        var result = await world.Dispatcher.DispatchAsync("node-a");

        Assert.Equal(1, result.Succeeded);
        Assert.Equal(1, result.CannotAct);
        Assert.True(x.Simulator.Post(replies[0]).IsHidden);
        Assert.False(x.Simulator.Post(foreign).IsHidden);
        Assert.Equal("Done", await world.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", own.OutboxIds[0]));
        Assert.Equal("CannotAct", await world.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", refused.OutboxIds[0]));
        Assert.Equal("Hidden", await world.ScalarAsync<string>("SELECT visibility FROM comments WHERE id = @id", own.CommentId));
        Assert.Equal("Visible", await world.ScalarAsync<string>("SELECT visibility FROM comments WHERE id = @id", refused.CommentId));
        Assert.Equal("Hide", await world.ScalarAsync<string>("SELECT cannot_act_action FROM comments WHERE id = @id", refused.CommentId));
        Assert.True(await world.ScalarAsync<bool>("SELECT cannot_hide FROM review_cases WHERE comment_id = @id", refused.CommentId));
        Assert.Contains(await world.Organisation.ListOpenAlertsAsync(world.School.SchoolId), a => a.Kind == AlertKinds.PlatformCannotAct && a.EntityId == refused.CommentId.ToString());
        Assert.Equal(2, x.Simulator.Calls(Moderator.Worker.Simulator.XSimulatorEndpoints.Hide));
    }

    [Fact]
    public async Task An_expired_token_is_refreshed_during_an_action_and_stored_encrypted_for_every_node()
    {
        await using var x = await XHarness.StartAsync(start: XHarness.Start.AddDays(2));
        var world = await World.CreateAsync(db.DataSource, x);
        var (_, replies) = x.SchoolPostWithReplies(1);
        var before = await world.ScalarAsync<string>("SELECT credentials_ciphertext FROM pages WHERE id = @id", world.School.PageId);
        x.Clock.Advance(TimeSpan.FromHours(3));

        var recorded = await world.RecordHideAsync(replies[0]);
        var result = await world.Dispatcher.DispatchAsync("node-a");

        Assert.Equal(1, result.Succeeded);
        Assert.True(x.Simulator.Post(replies[0]).IsHidden);
        var after = await world.ScalarAsync<string>("SELECT credentials_ciphertext FROM pages WHERE id = @id", world.School.PageId);
        Assert.NotEqual(before, after);
        Assert.DoesNotContain("simXat", after, StringComparison.Ordinal);
        var original = XCredentials.TryParse(world.Protector.Unprotect(before))!;
        var stored = XCredentials.TryParse(world.Protector.Unprotect(after))!;
        Assert.NotEqual(original.AccessToken, stored.AccessToken);
        Assert.NotEqual(original.RefreshToken, stored.RefreshToken);
        Assert.Equal(x.Clock.GetUtcNow() + x.Simulator.Options.AccessTokenLifetime, stored.ExpiresAt);
        Assert.Equal(1, x.Simulator.Refreshes);
        Assert.Equal("Done", await world.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", recorded.OutboxIds[0]));
    }

    [Fact]
    public async Task Two_nodes_refreshing_one_expired_token_at_once_spend_the_rotated_refresh_token_once_and_both_poll()
    {
        await using var x = await XHarness.StartAsync(start: XHarness.Start.AddDays(3));
        var world = await World.CreateAsync(db.DataSource, x);
        x.SchoolPostWithReplies(2);
        x.Clock.Advance(TimeSpan.FromHours(3));
        var nodeA = world.StoredAccess(x.School.Id);
        var nodeB = world.StoredAccess(x.School.Id);

        var batches = await Task.WhenAll(
            x.Connector.ListNewCommentsAsync(nodeA, null, CancellationToken.None),
            x.AnotherNode().ListNewCommentsAsync(nodeB, null, CancellationToken.None));

        Assert.All(batches, b => Assert.Equal(2, b.Comments.Count));
        Assert.Equal(1, x.Simulator.Refreshes);
        var stored = XCredentials.TryParse(world.Protector.Unprotect(
            await world.ScalarAsync<string>("SELECT credentials_ciphertext FROM pages WHERE id = @id", world.School.PageId)))!;
        Assert.Equal(stored.AccessToken, XCredentials.TryParse(nodeA.AccessToken)!.AccessToken);
        Assert.Equal(stored.AccessToken, XCredentials.TryParse(nodeB.AccessToken)!.AccessToken);
        Assert.Equal("Active", await world.ScalarAsync<string>("SELECT status FROM pages WHERE id = @id", world.School.PageId));
    }

    [Fact]
    public async Task Revoked_access_blocks_the_action_and_moves_the_page_to_needs_reconnect()
    {
        await using var x = await XHarness.StartAsync(start: XHarness.Start.AddDays(3));
        var world = await World.CreateAsync(db.DataSource, x);
        var (_, replies) = x.SchoolPostWithReplies(1);
        x.Simulator.RevokeAccess(x.School.Id);

        var recorded = await world.RecordHideAsync(replies[0]);
        var result = await world.Dispatcher.DispatchAsync("node-a");

        Assert.Equal(1, result.Blocked);
        Assert.Equal("Blocked", await world.ScalarAsync<string>("SELECT status FROM outbox WHERE id = @id", recorded.OutboxIds[0]));
        Assert.Equal(PageStatus.NeedsReconnect, (await world.Organisation.GetPageAsync(world.School.PageId)).Status);
        Assert.False(x.Simulator.Post(replies[0]).IsHidden);
    }

    private sealed class World
    {
        private World(NpgsqlDataSource dataSource, XHarness x, SecretProtector protector, Organisation organisation, ModerationWorkflow workflow, DemoSchoolIds school)
        {
            DataSource = dataSource;
            Protector = protector;
            Organisation = organisation;
            Workflow = workflow;
            School = school;
            var executor = new PlatformActionExecutor(protector, organisation, [x.Connector], NullLogger<PlatformActionExecutor>.Instance);
            Dispatcher = new OutboxDispatcher(dataSource, x.Clock, executor, new DiscardingNotifications(), Options.Create(new OutboxOptions()), new OutboxJitter(() => 0), NullLogger<OutboxDispatcher>.Instance);
            Clock = x.Clock;
        }

        public NpgsqlDataSource DataSource { get; }

        public SecretProtector Protector { get; }

        public Organisation Organisation { get; }

        public ModerationWorkflow Workflow { get; }

        public DemoSchoolIds School { get; }

        public OutboxDispatcher Dispatcher { get; }

        public TimeProvider Clock { get; }

        public static async Task<World> CreateAsync(NpgsqlDataSource dataSource, XHarness x)
        {
            await using (var drain = dataSource.CreateCommand("UPDATE outbox SET status = 'Done' WHERE status IN ('Pending','InProgress')"))
            {
                await drain.ExecuteNonQueryAsync();
            }

            var protector = new SecretProtector(new EphemeralDataProtectionProvider());
            var organisation = new Organisation(dataSource, x.Clock, NullLogger<Organisation>.Instance);
            var staff = new StaffDirectory(dataSource, x.Clock, Options.Create(new SignInOptions()), NullLogger<StaffDirectory>.Instance);
            var school = await DemoSchool.SeedAsync(organisation, staff, new DemoSchoolRequest("hash-not-a-real-password", Guid.NewGuid().ToString("N")[..8], Platform: Platform.X)
            {
                PageExternalId = x.School.Id,
                CredentialsCiphertext = protector.Protect(x.Secret),
            });
            return new World(dataSource, x, protector, organisation, new ModerationWorkflow(dataSource, x.Clock, NullLogger<ModerationWorkflow>.Instance), school);
        }

        public Task<RecordResult> RecordHideAsync(string replyId) =>
            Workflow.RecordAsync(
                School.PageId,
                new WorkflowComment(replyId, "harmful", Clock.GetUtcNow().AddMinutes(-1), "author-1", "A Parent", "conversation-1", null, $"https://x.com/i/web/status/{replyId}"),
                new ModelAssessment(
                    Verdict.Hide,
                    new Dictionary<Category, double> { [Category.Abuse] = 0.9 },
                    [new Reason(Category.Abuse, 0.9, "lexicon", Category.Abuse.CodeName(), "matched a listed term", [new TextSpan(0, 4)])],
                    [],
                    "test-model-1",
                    false));

        /// <summary>The page's access as a worker node builds it: stored secret, saved and held through the database.</summary>
        public PageAccess StoredAccess(string accountId)
        {
            var pageId = School.PageId;
            using var command = DataSource.CreateCommand("SELECT credentials_ciphertext FROM pages WHERE id = @id");
            command.Parameters.AddWithValue("id", pageId);
            var ciphertext = (string)command.ExecuteScalar()!;
            return new PageAccess(accountId, Protector.Unprotect(ciphertext),
                (secret, ct) => Organisation.SaveRefreshedCredentialsAsync(pageId, Protector.Protect(secret), ct),
                ct => Organisation.HoldPageCredentialsAsync(pageId, Protector, ct));
        }

        public async Task<T> ScalarAsync<T>(string sql, object id)
        {
            await using var command = DataSource.CreateCommand(sql);
            command.Parameters.AddWithValue("id", id);
            return (T)(await command.ExecuteScalarAsync())!;
        }
    }

    private sealed class DiscardingNotifications : INotificationSender
    {
        public Task SendAsync(NotificationRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
