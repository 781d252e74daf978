namespace Moderator.Core.Workflow;

public enum ReviewStatus
{
    Open,
    NeedsThirdReview,
    Settled,
}

/// <summary>A moderator's decision on a case.</summary>
public enum Decision
{
    KeepVisible,
    Hide,
    Delete,
    Escalate,
}

public enum CommentVisibility
{
    Visible,
    Hidden,
    Deleted,
}

/// <summary>One signed decision: who, what, when, and whether they signed as the school's lead breaking a tie.</summary>
public sealed record SignedDecision(Guid ModeratorId, Decision Decision, DateTimeOffset At, bool AsLead, int Ordinal);

/// <summary>A moderator's own action on the platform (e.g. hiding the comment in the platform's app).</summary>
public sealed record ManualAction(Guid StaffId, PlatformActionKind Action, DateTimeOffset At);

/// <summary>What settling a case requires: platform actions to queue and whether to open an escalation.</summary>
public sealed record Settlement(Decision Outcome, IReadOnlyList<PlatformActionKind> PlatformActions, bool OpensEscalation);

/// <summary>
/// The human review of one revision. It settles when two different moderators record the same decision; a
/// disagreement needs a third moderator (or the school's lead) who agrees with one side. Nobody signs twice, and
/// whoever acted on the platform by hand cannot be a settling signature. Claims are soft locks with an expiry.
/// </summary>
public sealed class ReviewCase
{
    private readonly List<SignedDecision> _decisions;
    private readonly List<ManualAction> _manualActions;

    public ReviewCase(
        Guid id,
        Guid revisionId,
        Guid commentId,
        Guid pageId,
        Guid schoolId,
        string verdict,
        string? topCategory,
        bool autoHidden,
        ReviewStatus status,
        Decision? outcome,
        DateTimeOffset openedAt,
        DateTimeOffset? settledAt,
        Guid? claimedBy,
        DateTimeOffset? claimExpiresAt,
        int version,
        CommentVisibility commentVisibility,
        IEnumerable<SignedDecision> decisions,
        IEnumerable<ManualAction> manualActions)
    {
        Id = id;
        RevisionId = revisionId;
        CommentId = commentId;
        PageId = pageId;
        SchoolId = schoolId;
        Verdict = verdict;
        TopCategory = topCategory;
        AutoHidden = autoHidden;
        Status = status;
        Outcome = outcome;
        OpenedAt = openedAt;
        SettledAt = settledAt;
        ClaimedBy = claimedBy;
        ClaimExpiresAt = claimExpiresAt;
        Version = version;
        CommentVisibility = commentVisibility;
        _decisions = [.. decisions.OrderBy(d => d.Ordinal)];
        _manualActions = [.. manualActions];
    }

    public Guid Id { get; }

    public Guid RevisionId { get; }

    public Guid CommentId { get; }

    public Guid PageId { get; }

    public Guid SchoolId { get; }

    public string Verdict { get; }

    public string? TopCategory { get; }

    /// <summary>The comment was hidden automatically when the case opened.</summary>
    public bool AutoHidden { get; }

    public ReviewStatus Status { get; private set; }

    public Decision? Outcome { get; private set; }

    public DateTimeOffset OpenedAt { get; }

    public DateTimeOffset? SettledAt { get; private set; }

    public Guid? ClaimedBy { get; private set; }

    public DateTimeOffset? ClaimExpiresAt { get; private set; }

    public int Version { get; }

    public CommentVisibility CommentVisibility { get; }

    public IReadOnlyList<SignedDecision> Decisions => _decisions;

    public IReadOnlyList<ManualAction> ManualActions => _manualActions;

    public bool IsClaimedByOther(Guid staffId, DateTimeOffset now) =>
        ClaimedBy is { } holder && holder != staffId && ClaimExpiresAt > now;

    public bool HasDecided(Guid staffId) => _decisions.Any(d => d.ModeratorId == staffId);

    /// <summary>Takes the soft lock so two people do not read the same item at once; renewing your own claim extends it.</summary>
    public void Claim(Guid staffId, DateTimeOffset now, TimeSpan duration)
    {
        EnsureNotSettled();
        if (IsClaimedByOther(staffId, now))
        {
            throw new WorkflowRuleException("Another moderator is looking at this case.");
        }

        if (HasDecided(staffId))
        {
            throw new WorkflowRuleException("You have already decided this case.");
        }

        ClaimedBy = staffId;
        ClaimExpiresAt = now + duration;
    }

    public void ReleaseClaim(Guid staffId, DateTimeOffset now)
    {
        if (ClaimedBy != staffId || ClaimExpiresAt <= now)
        {
            throw new WorkflowRuleException("You do not hold a claim on this case.");
        }

        ClaimedBy = null;
        ClaimExpiresAt = null;
    }

    /// <summary>Records that this moderator acted on the platform by hand; they can then no longer settle the case.</summary>
    public void RecordManualAction(Guid staffId, PlatformActionKind action, DateTimeOffset at)
    {
        EnsureNotSettled();
        if (_manualActions.Any(m => m.StaffId == staffId && m.Action == action))
        {
            return;
        }

        _manualActions.Add(new ManualAction(staffId, action, at));
    }

    /// <summary>
    /// Signs a decision. Returns the settlement when this signature settles the case, otherwise null.
    /// <paramref name="asLead"/> marks the school's safeguarding lead breaking a tie without being assigned to the page.
    /// </summary>
    public Settlement? RecordDecision(Guid moderatorId, Decision decision, DateTimeOffset at, bool asLead = false)
    {
        EnsureNotSettled();
        if (HasDecided(moderatorId))
        {
            throw new WorkflowRuleException("You have already decided this case; a second signature must come from someone else.");
        }

        if (IsClaimedByOther(moderatorId, at))
        {
            throw new WorkflowRuleException("Another moderator holds the claim on this case.");
        }

        if (asLead && Status != ReviewStatus.NeedsThirdReview)
        {
            throw new WorkflowRuleException("The school's lead decides only when two moderators disagree.");
        }

        var actedByHand = _manualActions.Any(m => m.StaffId == moderatorId);
        Settlement? settlement = null;
        switch (Status)
        {
            case ReviewStatus.Open when _decisions.Count == 0:
                break;
            case ReviewStatus.Open:
                if (actedByHand)
                {
                    throw new WorkflowRuleException("You acted on this comment on the platform yourself, so you cannot be its second signature.");
                }

                if (_decisions[0].Decision == decision)
                {
                    settlement = Settle(decision, at);
                }
                else
                {
                    Status = ReviewStatus.NeedsThirdReview;
                }

                break;
            case ReviewStatus.NeedsThirdReview:
                if (actedByHand)
                {
                    throw new WorkflowRuleException("You acted on this comment on the platform yourself, so you cannot settle it.");
                }

                if (!_decisions.Any(d => d.Decision == decision))
                {
                    throw new WorkflowRuleException($"The third review settles the case by agreeing with one side: {string.Join(" or ", _decisions.Select(d => d.Decision).Distinct())}.");
                }

                settlement = Settle(decision, at);
                break;
            default:
                throw new WorkflowRuleException("The case cannot take a decision now.");
        }

        _decisions.Add(new SignedDecision(moderatorId, decision, at, asLead, _decisions.Count + 1));
        if (ClaimedBy == moderatorId)
        {
            ClaimedBy = null;
            ClaimExpiresAt = null;
        }

        return settlement;
    }

    internal object Snapshot() => new
    {
        Status = Status.ToString(),
        Outcome = Outcome?.ToString(),
        Decisions = _decisions.Select(d => new { d.ModeratorId, Decision = d.Decision.ToString(), d.AsLead }),
        ClaimedBy,
        ClaimExpiresAt,
    };

    private Settlement Settle(Decision decision, DateTimeOffset at)
    {
        Status = ReviewStatus.Settled;
        Outcome = decision;
        SettledAt = at;
        var actions = new List<PlatformActionKind>();
        switch (decision)
        {
            case Decision.KeepVisible when CommentVisibility == CommentVisibility.Hidden:
                actions.Add(PlatformActionKind.Unhide);
                break;
            case Decision.Hide or Decision.Escalate when CommentVisibility == CommentVisibility.Visible:
                actions.Add(PlatformActionKind.Hide);
                break;
            case Decision.Delete when CommentVisibility != CommentVisibility.Deleted:
                actions.Add(PlatformActionKind.Delete);
                break;
            default:
                break;
        }

        return new Settlement(decision, actions, decision == Decision.Escalate);
    }

    private void EnsureNotSettled()
    {
        if (Status == ReviewStatus.Settled)
        {
            throw new WorkflowRuleException("The case is already settled.");
        }
    }
}
