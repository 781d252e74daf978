namespace Moderator.Core.Workflow;

/// <summary>Review cases: how long a claim (soft lock) lasts.</summary>
public sealed class ReviewOptions
{
    public const string SectionName = "Moderator:Review";

    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(10);

    internal IEnumerable<string> Problems()
    {
        if (ClaimDuration < TimeSpan.FromMinutes(1) || ClaimDuration > TimeSpan.FromHours(2))
        {
            yield return "Review:ClaimDuration must be between 1 minute and 2 hours.";
        }
    }
}

/// <summary>The outbox dispatcher: batches, leases, retries with exponential backoff and jitter, dead-lettering.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Moderator:Outbox";

    public int BatchSize { get; set; } = 20;

    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public int MaxAttempts { get; set; } = 8;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    internal IEnumerable<string> Problems()
    {
        if (BatchSize is < 1 or > 500)
        {
            yield return "Outbox:BatchSize must be between 1 and 500.";
        }

        if (Lease < TimeSpan.FromSeconds(5))
        {
            yield return "Outbox:Lease must be at least 5 seconds.";
        }

        if (MaxAttempts is < 1 or > 100)
        {
            yield return "Outbox:MaxAttempts must be between 1 and 100.";
        }

        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            yield return "Outbox:InitialBackoff must be positive and not above MaxBackoff.";
        }
    }
}

/// <summary>
/// Data minimisation (UK GDPR). Benign text goes after <see cref="BenignCommentText"/>; the evidence of a closed
/// escalation is kept for <see cref="EscalationEvidence"/> (default 7 years, a common school safeguarding-records
/// minimum; a trust may set longer, e.g. until the child is 25).
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Moderator:Retention";

    public TimeSpan BenignCommentText { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan EscalationEvidence { get; set; } = TimeSpan.FromDays(7 * 365);

    /// <summary>How long the text of a comment hidden or deleted after review (without an escalation) is kept.</summary>
    public TimeSpan RemovedCommentText { get; set; } = TimeSpan.FromDays(365);

    public int BatchSize { get; set; } = 1000;

    internal IEnumerable<string> Problems()
    {
        if (BenignCommentText < TimeSpan.FromDays(1))
        {
            yield return "Retention:BenignCommentText must be at least 1 day.";
        }

        if (EscalationEvidence < TimeSpan.FromDays(365))
        {
            yield return "Retention:EscalationEvidence must be at least 1 year.";
        }

        if (RemovedCommentText < TimeSpan.FromDays(30))
        {
            yield return "Retention:RemovedCommentText must be at least 30 days.";
        }

        if (BatchSize is < 1 or > 100_000)
        {
            yield return "Retention:BatchSize must be between 1 and 100000.";
        }
    }
}

/// <summary>Local sign-in lockout.</summary>
public sealed class SignInOptions
{
    public const string SectionName = "Moderator:SignIn";

    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    internal IEnumerable<string> Problems()
    {
        if (MaxFailedAttempts is < 1 or > 100)
        {
            yield return "SignIn:MaxFailedAttempts must be between 1 and 100.";
        }

        if (LockoutDuration < TimeSpan.FromMinutes(1))
        {
            yield return "SignIn:LockoutDuration must be at least 1 minute.";
        }
    }
}
