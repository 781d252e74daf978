using System.Net;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core.Platforms;
using Moderator.Core.Workflow;
using Moderator.Testing;
using Npgsql;

namespace Moderator.Admin.Tests;

public sealed class MetaWebhookEndpointTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string AppSecret = "test-app-secret";
    private const string VerifyToken = "test-verify-token";
    private readonly string _pageExternalId = "1000" + Random.Shared.Next(100_000, 999_999);
    private WebApplicationFactory<Program> _admin = null!;
    private Guid _pageId;

    public async Task InitializeAsync()
    {
        _admin = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("ConnectionStrings:Moderator", database.ConnectionString)
            .UseSetting("Logging:Directory", Path.GetTempPath())
            .UseSetting("Meta:AppSecret", AppSecret)
            .UseSetting("Meta:VerifyToken", VerifyToken));
        var services = _admin.Services;
        var ids = await DemoSchool.SeedAsync(services.GetRequiredService<Organisation>(), services.GetRequiredService<StaffDirectory>(),
            new DemoSchoolRequest(new PasswordHasher<string>().HashPassword("x", "webhook-password-1"), "wh" + Guid.NewGuid().ToString("N")[..8]) { PageExternalId = _pageExternalId });
        _pageId = ids.PageId;
    }

    public async Task DisposeAsync() => await _admin.DisposeAsync();

    private string Delivery() => $$$"""
        {"object":"page","entry":[{"id":"{{{_pageExternalId}}}","time":1700000000,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"{{{_pageExternalId}}}_1_2","post_id":"{{{_pageExternalId}}}_1","parent_id":"{{{_pageExternalId}}}_1","from":{"id":"9","name":"Someone"},"message":"hello","created_time":1700000000}}]}]}
        """;

    private async Task<DateTimeOffset?> PollRequestedAtAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        return await connection.QuerySingleAsync<DateTimeOffset?>("SELECT poll_requested_at FROM pages WHERE id = @_pageId", new { _pageId });
    }

    [Fact]
    public async Task Handshake_echoes_the_challenge_only_for_the_right_verify_token()
    {
        using var client = _admin.CreateClient();

        var ok = await client.GetAsync(new Uri($"/webhooks/meta?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=12345", UriKind.Relative));
        var wrong = await client.GetAsync(new Uri("/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=12345", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("12345", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task A_signed_comment_change_asks_the_worker_to_poll_that_page_now()
    {
        using var client = _admin.CreateClient();
        var body = Encoding.UTF8.GetBytes(Delivery());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        content.Headers.Add(MetaWebhook.SignatureHeader, MetaWebhook.Sign(body, AppSecret));

        var response = await client.PostAsync(new Uri("/webhooks/meta", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(await PollRequestedAtAsync());
    }

    [Fact]
    public async Task A_delivery_with_a_wrong_signature_is_rejected_and_changes_nothing()
    {
        using var client = _admin.CreateClient();
        var body = Encoding.UTF8.GetBytes(Delivery());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        content.Headers.Add(MetaWebhook.SignatureHeader, MetaWebhook.Sign(body, "not-the-secret"));

        var response = await client.PostAsync(new Uri("/webhooks/meta", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await PollRequestedAtAsync());
    }
}
