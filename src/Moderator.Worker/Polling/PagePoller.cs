using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Core.Security;
using Moderator.Core.Workflow;
using Moderator.Model;
using WorkflowComment = Moderator.Core.Workflow.IncomingComment;

namespace Moderator.Worker.Polling;

/// <summary>What one poll of one page did.</summary>
public sealed record PollResult(Guid PageId, int Read, int NewRevisions, int Hidden, int Escalated, string Outcome);

/// <summary>
/// The path of one comment, steps 1-3 (architecture.md): read new comments of a page through its connector, score
/// each, and hand the verdict to the workflow, which writes the hide, the case and the escalation in one transaction.
/// The cursor advances only after every comment of the batch is recorded, so a crash repeats work and loses none.
/// </summary>
public sealed partial class PagePoller(
    Organisation organisation,
    ModerationWorkflow workflow,
    ICommentScorer scorer,
    SecretProtector secrets,
    SchoolRosterCache rosters,
    IEnumerable<IPlatformConnector> connectors,
    ILogger<PagePoller> logger)
{
    private readonly Dictionary<Platform, IPlatformConnector> _connectors = connectors.ToDictionary(c => c.Platform);

    public async Task<PollResult> PollAsync(Guid pageId, CancellationToken cancellationToken)
    {
        var page = await organisation.GetPageAsync(pageId, cancellationToken);
        if (page.Status != PageStatus.Active)
        {
            return new PollResult(pageId, 0, 0, 0, 0, $"skipped: page is {page.Status}");
        }

        if (!_connectors.TryGetValue(page.Platform, out var connector))
        {
            LogNoConnector(logger, pageId, page.Platform);
            return new PollResult(pageId, 0, 0, 0, 0, $"skipped: no connector for {page.Platform}");
        }

        if (string.IsNullOrEmpty(page.CredentialsCiphertext))
        {
            await organisation.MarkNeedsReconnectAsync(pageId, cancellationToken);
            return new PollResult(pageId, 0, 0, 0, 0, "needs reconnect: no credentials");
        }

        CommentBatch batch;
        try
        {
            var access = new PageAccess(page.ExternalId, secrets.Unprotect(page.CredentialsCiphertext),
                (secret, ct) => organisation.SaveRefreshedCredentialsAsync(pageId, secrets.Protect(secret), ct),
                ct => organisation.HoldPageCredentialsAsync(pageId, secrets, ct));
            batch = await connector.ListNewCommentsAsync(access, page.Cursor, cancellationToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            LogUnreadableCredentials(logger, pageId);
            await organisation.MarkNeedsReconnectAsync(pageId, cancellationToken);
            return new PollResult(pageId, 0, 0, 0, 0, "needs reconnect: credentials unreadable");
        }
        catch (PlatformException e) when (e.PageNeedsReconnect)
        {
            LogAuthorizationFailed(logger, pageId, e.ErrorCode, e.ErrorSubcode);
            await organisation.MarkNeedsReconnectAsync(pageId, cancellationToken);
            return new PollResult(pageId, 0, 0, 0, 0, "needs reconnect: platform refused the credentials");
        }
        catch (PlatformException e) when (e.IsRetryable)
        {
            // Nothing was recorded and the cursor did not move: the next scheduled poll reads the same comments.
            LogPollDeferred(logger, pageId, e.Kind, e.ErrorCode, e.RetryAfter);
            return new PollResult(pageId, 0, 0, 0, 0, $"deferred: {e.Kind}");
        }

        var context = ContextFor(page, await rosters.GetAsync(page.SchoolId, cancellationToken));
        int fresh = 0, hidden = 0, escalated = 0;
        foreach (var comment in batch.Comments)
        {
            var assessment = Score(comment, context);
            var result = await workflow.RecordAsync(pageId, ToWorkflow(comment), assessment, cancellationToken);
            if (!result.IsNewRevision)
            {
                continue;
            }

            fresh++;
            hidden += assessment.Verdict >= Verdict.Hide ? 1 : 0;
            escalated += result.EscalationId is null ? 0 : 1;
            if (logger.IsEnabled(LogLevel.Information))
            {
                var categories = string.Join(',', assessment.Reasons.Select(r => r.Category.CodeName()).Distinct());
                LogAssessed(logger, pageId, result.CommentId, result.RevisionNo, assessment.Verdict, categories, assessment.FailedClosed);
            }
        }

        await organisation.SaveCursorAsync(pageId, batch.NextCursor, cancellationToken);
        return new PollResult(pageId, batch.Comments.Count, fresh, hidden, escalated, "polled");
    }

    /// <summary>Fail closed: a scorer that throws (it should not) holds the comment for review.</summary>
    private ModelAssessment Score(Core.Platforms.IncomingComment comment, ScoringContext? context)
    {
        try
        {
            return scorer.Score(comment.Text, context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogScoringFailed(logger, comment.ExternalId, e.GetType().Name);
            return new ModelAssessment(Verdict.Review, new Dictionary<Category, double>(), [], [], scorer.ModelVersion, FailedClosed: true);
        }
    }

    private static WorkflowComment ToWorkflow(Core.Platforms.IncomingComment c) =>
        new(c.ExternalId, c.Text, c.CreatedAt, c.AuthorExternalId, c.AuthorDisplayName, c.PostExternalId, c.ParentExternalId, c.Permalink?.ToString());

    /// <summary>
    /// The page's scoring context: its threshold overrides, stored as {"category": {"review": x, "hide": y, "escalate": z}},
    /// and its school's hashed pupil roster. Null when the page has neither.
    /// </summary>
    internal static ScoringContext? ContextFor(Page page, IPupilRoster? roster)
    {
        var thresholds = Thresholds(page);
        return thresholds is null && roster is null ? null : new ScoringContext(Thresholds: thresholds, Roster: roster);
    }

    private static Dictionary<Category, CategoryThresholds>? Thresholds(Page page)
    {
        if (string.IsNullOrWhiteSpace(page.ThresholdOverridesJson))
        {
            return null;
        }

        var thresholds = new Dictionary<Category, CategoryThresholds>();
        using var document = JsonDocument.Parse(page.ThresholdOverridesJson);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (Categories.TryParse(property.Name, out var category))
            {
                var v = property.Value;
                thresholds[category] = new CategoryThresholds(Read(v, "review", 0.5), Read(v, "hide", 0.85), Read(v, "escalate", 1.01));
            }
        }

        return thresholds;

        static double Read(JsonElement e, string name, double fallback) =>
            e.TryGetProperty(name, out var p) && p.TryGetDouble(out var d) ? d : fallback;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Assessed page {PageId} comment {CommentId} revision {RevisionNo}: {Verdict} (categories {Categories}, failed closed {FailedClosed})")]
    private static partial void LogAssessed(ILogger logger, Guid pageId, Guid commentId, int revisionNo, Verdict verdict, string categories, bool failedClosed);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Poll of page {PageId} deferred: {Kind} (code {Code}, retry after {RetryAfter})")]
    private static partial void LogPollDeferred(ILogger logger, Guid pageId, PlatformErrorKind kind, int? code, TimeSpan? retryAfter);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The platform refused page {PageId}'s credentials (code {Code}, subcode {Subcode}); the page needs reconnecting")]
    private static partial void LogAuthorizationFailed(ILogger logger, Guid pageId, int? code, int? subcode);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Scoring failed for comment {ExternalId} ({Error}); held for review")]
    private static partial void LogScoringFailed(ILogger logger, string externalId, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Page {PageId} is on {Platform}, which has no connector in this worker")]
    private static partial void LogNoConnector(ILogger logger, Guid pageId, Platform platform);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Page {PageId}'s stored credentials cannot be decrypted with the key ring; the page needs reconnecting")]
    private static partial void LogUnreadableCredentials(ILogger logger, Guid pageId);
}
