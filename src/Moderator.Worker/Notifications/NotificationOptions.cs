using Microsoft.Extensions.Options;

namespace Moderator.Worker.Notifications;

/// <summary>How the DSL and administrators are told ("Notifications" section).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Base URL of Admin, used to build the links in messages (messages carry ids and links, never comment text).</summary>
    public Uri AdminBaseUrl { get; set; } = new("http://127.0.0.1:5080/");

    public EmailOptions Email { get; set; } = new();

    public WebhookOptions Webhook { get; set; } = new();
}

public sealed class EmailOptions
{
    /// <summary>SMTP server; empty with no <see cref="DropFolder"/> means e-mail is not configured (sending fails and is retried, then dead-lettered).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>STARTTLS / TLS on the SMTP connection.</summary>
    public bool EnableTls { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "moderator@localhost";

    /// <summary>Instead of SMTP, write each message as an .eml file here (the demo shows them in Admin).</summary>
    public string? DropFolder { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

public enum WebhookFormat
{
    Slack,
    Teams,
}

public sealed class WebhookOptions
{
    /// <summary>Incoming-webhook URL of the school's Teams or Slack channel; empty means not configured.</summary>
    public Uri? Url { get; set; }

    public WebhookFormat Format { get; set; } = WebhookFormat.Teams;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}

internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var failures = new List<string>();
        if (!options.AdminBaseUrl.IsAbsoluteUri)
        {
            failures.Add($"Notifications:AdminBaseUrl must be an absolute URL (was '{options.AdminBaseUrl}').");
        }

        if (options.Email.Port is < 1 or > 65535)
        {
            failures.Add($"Notifications:Email:Port must be between 1 and 65535 (was {options.Email.Port}).");
        }

        if (!System.Net.Mail.MailAddress.TryCreate(options.Email.From, out _))
        {
            failures.Add($"Notifications:Email:From must be an e-mail address (was '{options.Email.From}').");
        }

        if (options.Webhook.Url is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add("Notifications:Webhook:Url must be an absolute http(s) URL.");
        }

        if (options.Email.Timeout <= TimeSpan.Zero || options.Webhook.Timeout <= TimeSpan.Zero)
        {
            failures.Add("Notifications:Email:Timeout and Notifications:Webhook:Timeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
