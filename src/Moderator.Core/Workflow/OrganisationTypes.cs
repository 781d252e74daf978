namespace Moderator.Core.Workflow;

public enum StaffRole
{
    Moderator,
    SafeguardingLead,
    DeputySafeguardingLead,
    Administrator,
}

public enum PageStatus
{
    /// <summary>Registered, waiting for its approvals or moderators; not polled.</summary>
    Pending,

    /// <summary>Approved with at least two active moderators: polled and moderated.</summary>
    Active,

    /// <summary>Was active, but fewer than two active moderators remain (policy 001 A.5.4).</summary>
    NeedsModerators,

    /// <summary>The platform refused the page's token or permissions; an administrator must reconnect it.</summary>
    NeedsReconnect,

    /// <summary>Retired by an administrator; never polled again.</summary>
    Deactivated,
}

/// <summary>The three signatures of the approval form (policy 001 A.3.2 and appendix).</summary>
public enum ApprovalRole
{
    LineManager,
    CommunicationsManager,
    HeadTeacher,
}

public sealed record Trust(Guid Id, string Name, Guid? SafeguardingLeadStaffId);

/// <summary>A school with its escalation deadlines and school hours (in its own time zone, Monday to Friday).</summary>
public sealed record School(
    Guid Id,
    Guid TrustId,
    string Name,
    string TimeZone,
    TimeOnly SchoolDayStart,
    TimeOnly SchoolDayEnd,
    TimeSpan AckDeadlineInSchoolHours,
    TimeSpan AckDeadlineOutsideSchoolHours,
    TimeSpan ReviewAgeTarget,
    string? EscalationWebhookUrl)
{
    public bool IsSchoolHours(DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        if (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return false;
        }

        var time = TimeOnly.FromDateTime(local.DateTime);
        return time >= SchoolDayStart && time < SchoolDayEnd;
    }

    /// <summary>How long the DSL has to acknowledge an escalation opened at <paramref name="at"/>.</summary>
    public TimeSpan AcknowledgementDeadline(DateTimeOffset at) =>
        IsSchoolHours(at) ? AckDeadlineInSchoolHours : AckDeadlineOutsideSchoolHours;
}

/// <summary>A named person who signs in. Never shared; several roles and one or more schools.</summary>
public sealed record StaffMember(
    Guid Id,
    Guid TrustId,
    string DisplayName,
    string Username,
    string Email,
    IReadOnlySet<StaffRole> Roles,
    IReadOnlySet<Guid> SchoolIds,
    bool Active,
    string? PasswordHash,
    bool MustChangePassword,
    int FailedSignInCount,
    DateTimeOffset? LockedUntil,
    string? ExternalProvider,
    string? ExternalSubject)
{
    public bool Has(StaffRole role) => Roles.Contains(role);

    public bool BelongsTo(Guid schoolId) => SchoolIds.Contains(schoolId);

    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>One signature on a page's approval form.</summary>
public sealed record PageApproval(ApprovalRole Role, string ApproverName, Guid? ApproverStaffId, DateTimeOffset ApprovedAt);

/// <summary>A moderator assigned to a page, with whether their account is active now.</summary>
public sealed record PageModerator(Guid StaffId, DateTimeOffset AssignedAt, bool Active);

/// <summary>Something an administrator or lead must look at. Never carries comment text.</summary>
public sealed record Alert(Guid Id, string Kind, Guid? SchoolId, Guid? PageId, string? EntityType, string? EntityId, string Message, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt);

public static class AlertKinds
{
    public const string PageNeedsModerators = "PageNeedsModerators";
    public const string PageNeedsReconnect = "PageNeedsReconnect";
    public const string OutboxDeadLettered = "OutboxDeadLettered";
    public const string EscalationUnacknowledged = "EscalationUnacknowledged";

    /// <summary>The platform refused to hide (or delete) a comment for this account: someone must act on the platform.</summary>
    public const string PlatformCannotAct = "PlatformCannotAct";
}
