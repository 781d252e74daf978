using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Core.Security;
using Moderator.Core.Workflow;

namespace Moderator.Worker.Polling;

/// <summary>
/// Carries out outbox platform actions through the page's connector. A refused credential becomes
/// <see cref="PlatformAuthorizationException"/> (the page needs reconnecting, no retry); a comment already gone counts
/// as done for hide and delete, so a retried action is harmless; an action the platform never allows on that item
/// becomes <see cref="PlatformCannotActException"/> (the comment is flagged, never counted as hidden).
/// </summary>
public sealed partial class PlatformActionExecutor(SecretProtector secrets, Organisation organisation, IEnumerable<IPlatformConnector> connectors, ILogger<PlatformActionExecutor> logger) : IPlatformActions
{
    private readonly Dictionary<Platform, IPlatformConnector> _connectors = connectors.ToDictionary(c => c.Platform);

    public async Task ExecuteAsync(PlatformActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_connectors.TryGetValue(request.Platform, out var connector))
        {
            throw new InvalidOperationException($"No connector for {request.Platform}.");
        }

        if (string.IsNullOrEmpty(request.CredentialsCiphertext))
        {
            throw new PlatformAuthorizationException("The page has no stored credentials.");
        }

        PageAccess access;
        try
        {
            access = new PageAccess(request.PageExternalId, secrets.Unprotect(request.CredentialsCiphertext),
                (secret, ct) => organisation.SaveRefreshedCredentialsAsync(request.PageId, secrets.Protect(secret), ct),
                ct => organisation.HoldPageCredentialsAsync(request.PageId, secrets, ct));
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new PlatformAuthorizationException("The page's stored credentials cannot be decrypted.", e);
        }

        try
        {
            if (request.Attempt > 1 && await AlreadyDoneAsync(connector, access, request, cancellationToken))
            {
                LogAlreadyDone(logger, request.OutboxId, request.Action, request.CommentId, request.Attempt);
                return;
            }

            switch (request.Action)
            {
                case PlatformActionKind.Hide:
                    await connector.HideAsync(access, request.CommentExternalId, cancellationToken);
                    break;
                case PlatformActionKind.Unhide:
                    await connector.UnhideAsync(access, request.CommentExternalId, cancellationToken);
                    break;
                case PlatformActionKind.Delete:
                    await connector.DeleteAsync(access, request.CommentExternalId, cancellationToken);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(request), request.Action, "Unknown platform action.");
            }

            LogExecuted(logger, request.OutboxId, request.Action, request.CommentId, request.Attempt);
        }
        catch (PlatformException e) when (e.PageNeedsReconnect)
        {
            throw new PlatformAuthorizationException($"{request.Platform} refused the page's credentials (code {e.ErrorCode}, subcode {e.ErrorSubcode}).", e);
        }
        catch (PlatformException e) when (e.Kind == PlatformErrorKind.CannotHide)
        {
            LogCannotAct(logger, request.OutboxId, request.Action, request.CommentId, request.Platform);
            throw new PlatformCannotActException($"{request.Platform} does not allow {request.Action} of comment {request.CommentId} for this page's account.", e);
        }
        catch (PlatformException e) when (e.Kind == PlatformErrorKind.NotFound && request.Action is PlatformActionKind.Hide or PlatformActionKind.Delete)
        {
            LogAlreadyGone(logger, request.OutboxId, request.Action, request.CommentId);
        }
    }

    /// <summary>
    /// A retried hide or unhide (the previous attempt may have reached the platform before its worker died) first
    /// reads the comment's state where the platform reports it, so the platform sees the action once.
    /// </summary>
    private static async Task<bool> AlreadyDoneAsync(IPlatformConnector connector, PageAccess access, PlatformActionRequest request, CancellationToken cancellationToken)
    {
        // Where the platform cannot report the state (X), a read would always say "not hidden": an unhide would be
        // judged done and never sent. Such platforms get the action again (idempotent there).
        if (request.PostExternalId is null || request.Action == PlatformActionKind.Delete || !connector.ReportsHiddenState)
        {
            return false;
        }

        var current = await connector.GetCommentAsync(access, request.PostExternalId, request.CommentExternalId, cancellationToken);
        return current.IsHidden == (request.Action == PlatformActionKind.Hide);
    }

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Outbox {OutboxId}: {Action} was already in effect for comment {CommentId} on attempt {Attempt}; not repeated")]
    private static partial void LogAlreadyDone(ILogger logger, long outboxId, PlatformActionKind action, Guid commentId, int attempt);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Outbox {OutboxId}: {Action} done for comment {CommentId} (attempt {Attempt})")]
    private static partial void LogExecuted(ILogger logger, long outboxId, PlatformActionKind action, Guid commentId, int attempt);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Outbox {OutboxId}: {Platform} does not allow {Action} of comment {CommentId} for this account; someone must act on the platform")]
    private static partial void LogCannotAct(ILogger logger, long outboxId, PlatformActionKind action, Guid commentId, Platform platform);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Outbox {OutboxId}: comment {CommentId} is no longer on the platform; {Action} counts as done")]
    private static partial void LogAlreadyGone(ILogger logger, long outboxId, PlatformActionKind action, Guid commentId);
}
