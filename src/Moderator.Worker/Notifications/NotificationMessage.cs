using System.Globalization;
using System.Text.Json;

namespace Moderator.Worker.Notifications;

/// <summary>
/// What a person reads in an e-mail or a Teams/Slack post. Built from the outbox payload, which holds ids and a link
/// only: a notification never carries comment text, names or contact details (they stay behind the sign-in).
/// </summary>
public sealed record NotificationMessage(string Subject, string Body, Uri Link)
{
    public static NotificationMessage From(string payloadJson, Uri adminBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(adminBaseUrl);
        using var document = JsonDocument.Parse(payloadJson);
        var root = document.RootElement;
        var link = new Uri(adminBaseUrl, Get(root, "Link")?.TrimStart('/') ?? string.Empty);

        if (Get(root, "EscalationId") is { } escalationId)
        {
            var stage = Get(root, "Stage") ?? "1";
            var due = DateTimeOffset.TryParse(Get(root, "AckDueAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUniversalTime().ToString("HH:mm 'UTC on' d MMM yyyy", CultureInfo.InvariantCulture)
                : "as soon as possible";
            var subject = stage == "1"
                ? "Safeguarding escalation: please acknowledge"
                : $"Safeguarding escalation NOT YET ACKNOWLEDGED (reminder {stage})";
            var body =
                $"A comment on one of the school's official pages has been hidden and escalated for the Designated Safeguarding Lead.\n" +
                $"Please sign in and acknowledge it by {due}; the comment, its context and the referral options are on the escalation page.\n" +
                $"Escalation reference: {escalationId}";
            return new NotificationMessage(subject, body, link);
        }

        var kind = Get(root, "Kind") ?? Get(root, "Alert") ?? "alert";
        var details = string.Join("\n", root.EnumerateObject()
            .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number && !string.Equals(p.Name, "Link", StringComparison.OrdinalIgnoreCase))
            .Select(p => $"{p.Name}: {p.Value}"));
        return new NotificationMessage($"Moderator: {kind}", $"Something on the school's pages needs attention.\n{details}", link);
    }

    private static string? Get(JsonElement root, string name)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }

        return null;
    }
}
