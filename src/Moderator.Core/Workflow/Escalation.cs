namespace Moderator.Core.Workflow;

public enum EscalationTrigger
{
    HideAndEscalateVerdict,
    StaffAllegation,
    ModeratorDecision,
}

public enum EscalationStatus
{
    Open,
    Acknowledged,
    Closed,
}

/// <summary>The referrals and outcomes a DSL records (chronology).</summary>
public enum OutcomeKind
{
    CeopReport,
    Police,
    Lado,
    ChildrensSocialCare,
    InternetWatchFoundation,
    NoFurtherAction,
}

/// <summary>One entry of an escalation's chronology.</summary>
public sealed record EscalationOutcome(Guid Id, OutcomeKind Kind, string? Reference, string? Notes, Guid RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// A safeguarding case for the school's DSL. Deputies may acknowledge and record outcomes; only the school's DSL
/// closes it. Unacknowledged past its deadline it is re-sent to the deputies, then to the trust's safeguarding lead.
/// </summary>
public sealed class Escalation
{
    /// <summary>Reminder stages: 0 = DSL and deputies notified at opening, 1 = re-sent to deputies, 2 = sent to the trust's lead.</summary>
    public const int FinalReminderStage = 2;

    private readonly List<EscalationOutcome> _outcomes;

    public Escalation(
        Guid id,
        Guid schoolId,
        Guid pageId,
        Guid commentId,
        Guid revisionId,
        Guid? caseId,
        EscalationTrigger trigger,
        IReadOnlyList<string> categories,
        EscalationStatus status,
        DateTimeOffset openedAt,
        DateTimeOffset ackDueAt,
        int reminderStage,
        Guid? acknowledgedBy,
        DateTimeOffset? acknowledgedAt,
        Guid? closedBy,
        DateTimeOffset? closedAt,
        DateTimeOffset? evidenceRetainUntil,
        int version,
        IEnumerable<EscalationOutcome> outcomes)
    {
        Id = id;
        SchoolId = schoolId;
        PageId = pageId;
        CommentId = commentId;
        RevisionId = revisionId;
        CaseId = caseId;
        Trigger = trigger;
        Categories = categories;
        Status = status;
        OpenedAt = openedAt;
        AckDueAt = ackDueAt;
        ReminderStage = reminderStage;
        AcknowledgedBy = acknowledgedBy;
        AcknowledgedAt = acknowledgedAt;
        ClosedBy = closedBy;
        ClosedAt = closedAt;
        EvidenceRetainUntil = evidenceRetainUntil;
        Version = version;
        _outcomes = [.. outcomes.OrderBy(o => o.RecordedAt)];
    }

    public Guid Id { get; }

    public Guid SchoolId { get; }

    public Guid PageId { get; }

    public Guid CommentId { get; }

    public Guid RevisionId { get; }

    public Guid? CaseId { get; }

    public EscalationTrigger Trigger { get; }

    public IReadOnlyList<string> Categories { get; }

    public EscalationStatus Status { get; private set; }

    public DateTimeOffset OpenedAt { get; }

    public DateTimeOffset AckDueAt { get; private set; }

    public int ReminderStage { get; private set; }

    public Guid? AcknowledgedBy { get; private set; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public Guid? ClosedBy { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public DateTimeOffset? EvidenceRetainUntil { get; private set; }

    public int Version { get; }

    public IReadOnlyList<EscalationOutcome> Chronology => _outcomes;

    /// <summary>The DSL or a deputy (or, once it reached them, the trust's safeguarding lead) has seen it.</summary>
    public void Acknowledge(StaffMember by, DateTimeOffset at, bool isTrustLead = false)
    {
        EnsureLeadOrDeputy(by, isTrustLead);
        if (Status != EscalationStatus.Open)
        {
            throw new WorkflowRuleException(Status == EscalationStatus.Closed ? "The escalation is closed." : "The escalation is already acknowledged.");
        }

        Status = EscalationStatus.Acknowledged;
        AcknowledgedBy = by.Id;
        AcknowledgedAt = at;
    }

    public EscalationOutcome RecordOutcome(StaffMember by, OutcomeKind kind, string? reference, string? notes, DateTimeOffset at, bool isTrustLead = false)
    {
        EnsureLeadOrDeputy(by, isTrustLead);
        if (Status == EscalationStatus.Closed)
        {
            throw new WorkflowRuleException("The escalation is closed.");
        }

        if (kind == OutcomeKind.Police && string.IsNullOrWhiteSpace(reference))
        {
            throw new WorkflowRuleException("A police referral needs the police reference number.");
        }

        if (Status == EscalationStatus.Open)
        {
            // Recording an outcome shows the escalation has been seen.
            Status = EscalationStatus.Acknowledged;
            AcknowledgedBy = by.Id;
            AcknowledgedAt = at;
        }

        var outcome = new EscalationOutcome(Guid.CreateVersion7(at), kind, string.IsNullOrWhiteSpace(reference) ? null : reference.Trim(), string.IsNullOrWhiteSpace(notes) ? null : notes.Trim(), by.Id, at);
        _outcomes.Add(outcome);
        return outcome;
    }

    /// <summary>Only the school's DSL closes an escalation, and only once an outcome is recorded.</summary>
    public void Close(StaffMember by, DateTimeOffset at, TimeSpan evidenceRetention)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (!by.Active || !by.Has(StaffRole.SafeguardingLead) || !by.BelongsTo(SchoolId))
        {
            throw new WorkflowForbiddenException("Only the school's designated safeguarding lead can close an escalation.");
        }

        if (Status == EscalationStatus.Closed)
        {
            throw new WorkflowRuleException("The escalation is already closed.");
        }

        if (_outcomes.Count == 0)
        {
            throw new WorkflowRuleException("Record at least one outcome (e.g. no further action) before closing.");
        }

        Status = EscalationStatus.Closed;
        ClosedBy = by.Id;
        ClosedAt = at;
        EvidenceRetainUntil = at + evidenceRetention;
    }

    /// <summary>True when the acknowledgement deadline passed with nobody acknowledging and a further stage remains.</summary>
    public bool IsOverdue(DateTimeOffset now) => Status == EscalationStatus.Open && now >= AckDueAt && ReminderStage < FinalReminderStage;

    /// <summary>Moves to the next reminder stage and sets the next deadline; returns the new stage.</summary>
    public int Remind(DateTimeOffset now, TimeSpan nextDeadline)
    {
        if (!IsOverdue(now))
        {
            throw new WorkflowRuleException("The escalation is not overdue.");
        }

        ReminderStage++;
        AckDueAt = now + nextDeadline;
        return ReminderStage;
    }

    internal object Snapshot() => new
    {
        Status = Status.ToString(),
        ReminderStage,
        AckDueAt,
        AcknowledgedBy,
        ClosedBy,
        Outcomes = _outcomes.Count,
    };

    private void EnsureLeadOrDeputy(StaffMember by, bool isTrustLead)
    {
        ArgumentNullException.ThrowIfNull(by);
        if (isTrustLead && by.Active && by.Has(StaffRole.SafeguardingLead))
        {
            return;
        }

        if (!by.Active || !by.BelongsTo(SchoolId) || !(by.Has(StaffRole.SafeguardingLead) || by.Has(StaffRole.DeputySafeguardingLead)))
        {
            throw new WorkflowForbiddenException("Only the school's safeguarding lead or a deputy can act on an escalation.");
        }
    }
}
