using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core.Workflow;
using Moderator.Worker.Notifications;

namespace Moderator.Worker.Tests.Notifications;

public sealed class NotificationSenderTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _received = new();
    private readonly string _dropFolder = Path.Combine(Path.GetTempPath(), "moderator-mail-" + Guid.NewGuid().ToString("N"));
    private WebApplication _hook = null!;
    private Uri _hookUrl = null!;

    private static readonly string Payload = JsonSerializer.Serialize(new
    {
        EscalationId = Guid.Parse("0199aaaa-bbbb-7ccc-8ddd-eeeeffff0001"),
        SchoolId = Guid.NewGuid(),
        PageId = Guid.NewGuid(),
        Stage = 1,
        Link = "/escalations/0199aaaa-bbbb-7ccc-8ddd-eeeeffff0001",
        AckDueAt = "2026-11-22T10:15:00Z",
    });

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _hook = builder.Build();
        _hook.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            _received.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        _hook.MapPost("/broken", () => Results.StatusCode(500));
        await _hook.StartAsync();
        _hookUrl = new Uri(_hook.Urls.First());
    }

    public async Task DisposeAsync()
    {
        await _hook.DisposeAsync();
        if (Directory.Exists(_dropFolder))
        {
            Directory.Delete(_dropFolder, recursive: true);
        }
    }

    private INotificationSender Sender(string format)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:AdminBaseUrl"] = "https://moderator.school.example/",
            ["Notifications:Email:DropFolder"] = _dropFolder,
            ["Notifications:Email:From"] = "moderator@school.example",
            ["Notifications:Webhook:Format"] = format,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddNotifications(configuration);
        return services.BuildServiceProvider().GetRequiredService<INotificationSender>();
    }

    [Fact]
    public async Task A_Teams_webhook_gets_an_adaptive_card_with_the_escalation_link_and_no_comment_text()
    {
        await Sender("Teams").SendAsync(new NotificationRequest(1, "k1", NotificationChannel.Webhook, null, new Uri(_hookUrl, "/hook").ToString(), Payload, 1), CancellationToken.None);

        var body = Assert.Single(_received);
        using var json = JsonDocument.Parse(body);
        var attachment = json.RootElement.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var action = attachment.GetProperty("content").GetProperty("actions")[0];
        Assert.Equal("https://moderator.school.example/escalations/0199aaaa-bbbb-7ccc-8ddd-eeeeffff0001", action.GetProperty("url").GetString());
        Assert.Contains("Safeguarding escalation", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Slack_webhook_gets_text_with_the_link()
    {
        await Sender("Slack").SendAsync(new NotificationRequest(2, "k2", NotificationChannel.Webhook, null, new Uri(_hookUrl, "/hook").ToString(), Payload, 1), CancellationToken.None);

        using var json = JsonDocument.Parse(Assert.Single(_received));
        var text = json.RootElement.GetProperty("text").GetString()!;
        Assert.Contains("<https://moderator.school.example/escalations/0199aaaa-bbbb-7ccc-8ddd-eeeeffff0001|Open in Moderator>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_webhook_throws_so_the_outbox_retries()
    {
        var sender = Sender("Teams");

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            sender.SendAsync(new NotificationRequest(3, "k3", NotificationChannel.Webhook, null, new Uri(_hookUrl, "/broken").ToString(), Payload, 1), CancellationToken.None));
    }

    [Fact]
    public async Task An_email_goes_to_the_recipient_with_the_deadline_and_link()
    {
        await Sender("Teams").SendAsync(new NotificationRequest(4, "k4", NotificationChannel.Email, Guid.NewGuid(), "dsl@school.example", Payload, 1), CancellationToken.None);

        var message = File.ReadAllText(Assert.Single(Directory.GetFiles(_dropFolder)));
        Assert.Contains("To: dsl@school.example", message, StringComparison.Ordinal);
        Assert.Contains("Safeguarding escalation: please acknowledge", message, StringComparison.Ordinal);
        Assert.Contains("10:15 UTC", message, StringComparison.Ordinal);
        Assert.Contains("X-Moderator-Idempotency-Key: k4", message, StringComparison.Ordinal);
    }
}
