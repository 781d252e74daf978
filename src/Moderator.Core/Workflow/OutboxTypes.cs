namespace Moderator.Core.Workflow;

public enum OutboxKind
{
    PlatformAction,
    Notification,
}

public enum PlatformActionKind
{
    Hide,
    Unhide,
    Delete,
}

public enum NotificationChannel
{
    Email,
    Webhook,
}

public enum OutboxStatus
{
    Pending,
    InProgress,
    Done,
    DeadLettered,
    Blocked,

    /// <summary>Finished without effect: the platform will never let this account act on the item (see <see cref="PlatformCannotActException"/>).</summary>
    CannotAct,
}

/// <summary>A platform action for the worker's connector. The idempotency key is stable across retries.</summary>
public sealed record PlatformActionRequest(
    long OutboxId,
    string IdempotencyKey,
    PlatformActionKind Action,
    Guid PageId,
    Platform Platform,
    string PageExternalId,
    string? CredentialsCiphertext,
    Guid CommentId,
    string CommentExternalId,
    int Attempt)
{
    /// <summary>The post the comment is on, when known (lets a connector re-read the comment's current state).</summary>
    public string? PostExternalId { get; init; }
}

/// <summary>
/// A notification to send. The payload carries ids and a link only, never comment text; the address is the
/// recipient's e-mail for <see cref="NotificationChannel.Email"/> or the school's webhook URL.
/// </summary>
public sealed record NotificationRequest(
    long OutboxId,
    string IdempotencyKey,
    NotificationChannel Channel,
    Guid? RecipientStaffId,
    string Address,
    string PayloadJson,
    int Attempt);

/// <summary>Carries out platform actions (implemented by the worker's connectors).</summary>
public interface IPlatformActions
{
    /// <summary>Performs the action; throws <see cref="PlatformAuthorizationException"/> when the platform refuses the page's credentials.</summary>
    Task ExecuteAsync(PlatformActionRequest request, CancellationToken cancellationToken);
}

/// <summary>Sends notifications by e-mail or webhook (implemented by the worker).</summary>
public interface INotificationSender
{
    Task SendAsync(NotificationRequest request, CancellationToken cancellationToken);
}

/// <summary>One outbox row as Admin's operations page shows it.</summary>
public sealed record OutboxEntry(
    long Id,
    OutboxKind Kind,
    PlatformActionKind? Action,
    NotificationChannel? Channel,
    Guid? PageId,
    Guid? CommentId,
    Guid? RecipientStaffId,
    string Payload,
    string IdempotencyKey,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);
