using System.Net;
using System.Net.Http.Json;
using System.Net.Mail;
using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Workflow;

namespace Moderator.Worker.Notifications;

/// <summary>Sends outbox notifications by e-mail (SMTP or a drop folder) or to a Teams/Slack incoming webhook.</summary>
public sealed class NotificationSender(IOptions<NotificationOptions> options, WebhookClient webhooks) : INotificationSender
{
    public async Task SendAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = NotificationMessage.From(request.PayloadJson, options.Value.AdminBaseUrl);
        switch (request.Channel)
        {
            case NotificationChannel.Email:
                await SendEmailAsync(request, message, cancellationToken);
                break;
            case NotificationChannel.Webhook:
                var url = Uri.TryCreate(request.Address, UriKind.Absolute, out var address) ? address : options.Value.Webhook.Url;
                await webhooks.PostAsync(url ?? throw new NotificationNotConfiguredException("Notifications:Webhook:Url is not set."), message, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Channel, "Unknown notification channel.");
        }
    }

    private async Task SendEmailAsync(NotificationRequest request, NotificationMessage message, CancellationToken cancellationToken)
    {
        var email = options.Value.Email;
        using var mail = new MailMessage(email.From, request.Address, message.Subject, $"{message.Body}\n\nOpen: {message.Link}");
        mail.Headers.Add("X-Moderator-Idempotency-Key", request.IdempotencyKey);
        using var smtp = new SmtpClient { Timeout = (int)email.Timeout.TotalMilliseconds };
        if (!string.IsNullOrWhiteSpace(email.DropFolder))
        {
            Directory.CreateDirectory(email.DropFolder);
            smtp.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            smtp.PickupDirectoryLocation = Path.GetFullPath(email.DropFolder);
        }
        else if (!string.IsNullOrWhiteSpace(email.Host))
        {
            smtp.Host = email.Host;
            smtp.Port = email.Port;
            smtp.EnableSsl = email.EnableTls;
            if (!string.IsNullOrEmpty(email.UserName))
            {
                smtp.Credentials = new NetworkCredential(email.UserName, email.Password);
            }
        }
        else
        {
            throw new NotificationNotConfiguredException("Notifications:Email:Host (or DropFolder) is not set.");
        }

        await smtp.SendMailAsync(mail, cancellationToken);
    }
}

/// <summary>A typed client for Teams and Slack incoming webhooks.</summary>
public sealed class WebhookClient(HttpClient http, IOptions<NotificationOptions> options)
{
    public async Task PostAsync(Uri url, NotificationMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        object body = options.Value.Webhook.Format switch
        {
            WebhookFormat.Slack => new { text = $"*{message.Subject}*\n{message.Body}\n<{message.Link}|Open in Moderator>" },
            _ => new
            {
                type = "message",
                attachments = new[]
                {
                    new
                    {
                        contentType = "application/vnd.microsoft.card.adaptive",
                        content = new Dictionary<string, object>
                        {
                            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                            ["type"] = "AdaptiveCard",
                            ["version"] = "1.4",
                            ["body"] = new object[]
                            {
                                new { type = "TextBlock", text = message.Subject, weight = "Bolder", wrap = true },
                                new { type = "TextBlock", text = message.Body, wrap = true },
                            },
                            ["actions"] = new object[] { new { type = "Action.OpenUrl", title = "Open in Moderator", url = message.Link } },
                        },
                    },
                },
            },
        };
        using var response = await http.PostAsJsonAsync(url, body, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode}.", null, response.StatusCode);
        }
    }
}

/// <summary>A channel was asked for but has no settings; the outbox retries and then dead-letters with an alert.</summary>
public sealed class NotificationNotConfiguredException : Exception
{
    public NotificationNotConfiguredException(string message) : base(message)
    {
    }

    public NotificationNotConfiguredException()
    {
    }

    public NotificationNotConfiguredException(string message, Exception inner) : base(message, inner)
    {
    }
}
