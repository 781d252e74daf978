namespace Moderator.Core.Workflow;

/// <summary>
/// One official account on one platform, with its approval record and assigned moderators. A page is Active only
/// with all three approvals and at least two active moderators; dropping below two moves it to NeedsModerators and
/// raises an alert (policy 001 A.5.4).
/// </summary>
public sealed class Page
{
    public const int MinimumModerators = 2;

    private readonly Dictionary<ApprovalRole, PageApproval> _approvals;
    private readonly Dictionary<Guid, PageModerator> _moderators;
    private readonly List<PageAlert> _alerts = [];

    public Page(
        Guid id,
        Guid schoolId,
        Platform platform,
        string externalId,
        string name,
        PageStatus status,
        TimeSpan pollInterval,
        string? credentialsCiphertext,
        string? cursor,
        string? thresholdOverridesJson,
        int version,
        IEnumerable<PageApproval> approvals,
        IEnumerable<PageModerator> moderators)
    {
        Id = id;
        SchoolId = schoolId;
        Platform = platform;
        ExternalId = externalId;
        Name = name;
        Status = status;
        PollInterval = pollInterval;
        CredentialsCiphertext = credentialsCiphertext;
        Cursor = cursor;
        ThresholdOverridesJson = thresholdOverridesJson;
        Version = version;
        _approvals = approvals.ToDictionary(a => a.Role);
        _moderators = moderators.ToDictionary(m => m.StaffId);
    }

    public Guid Id { get; }

    public Guid SchoolId { get; }

    public Platform Platform { get; }

    public string ExternalId { get; }

    public string Name { get; }

    public PageStatus Status { get; private set; }

    public TimeSpan PollInterval { get; private set; }

    /// <summary>Ciphertext of the page's platform credentials, made and read by the connector layer.</summary>
    public string? CredentialsCiphertext { get; private set; }

    public string? Cursor { get; private set; }

    public string? ThresholdOverridesJson { get; private set; }

    public int Version { get; }

    public IReadOnlyCollection<PageApproval> Approvals => _approvals.Values;

    public IReadOnlyCollection<PageModerator> Moderators => _moderators.Values;

    public int ActiveModeratorCount => _moderators.Values.Count(m => m.Active);

    public bool IsFullyApproved => Enum.GetValues<ApprovalRole>().All(_approvals.ContainsKey);

    /// <summary>Alert messages raised by the moves made on this instance (saved with it).</summary>
    public IReadOnlyList<PageAlert> RaisedAlerts => _alerts;

    public bool IsAssigned(Guid staffId) => _moderators.ContainsKey(staffId);

    /// <summary>A new page starts Pending: not polled until approved and moderated.</summary>
    public static Page Register(Guid id, Guid schoolId, Platform platform, string externalId, string name, TimeSpan pollInterval, string? credentialsCiphertext)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (pollInterval < TimeSpan.FromSeconds(10))
        {
            throw new WorkflowRuleException("A page is polled at most every 10 seconds.");
        }

        return new Page(id, schoolId, platform, externalId, name, PageStatus.Pending, pollInterval, credentialsCiphertext, null, null, 1, [], []);
    }

    public void RecordApproval(ApprovalRole role, string approverName, Guid? approverStaffId, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(approverName);
        EnsureNotDeactivated();
        if (_approvals.ContainsKey(role))
        {
            throw new WorkflowRuleException($"The {role} approval is already recorded.");
        }

        _approvals[role] = new PageApproval(role, approverName.Trim(), approverStaffId, at);
        Reevaluate();
    }

    /// <summary>Assigns a moderator. They must be an active Moderator of this page's school.</summary>
    public void AssignModerator(StaffMember staff, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(staff);
        EnsureNotDeactivated();
        if (!staff.Active || !staff.Has(StaffRole.Moderator))
        {
            throw new WorkflowRuleException("Only an active member of staff with the Moderator role can moderate a page.");
        }

        if (!staff.BelongsTo(SchoolId))
        {
            throw new WorkflowRuleException("A moderator must belong to the page's school.");
        }

        if (_moderators.ContainsKey(staff.Id))
        {
            throw new WorkflowRuleException("That moderator is already assigned to this page.");
        }

        _moderators[staff.Id] = new PageModerator(staff.Id, at, true);
        Reevaluate();
    }

    public void RemoveModerator(Guid staffId)
    {
        if (!_moderators.Remove(staffId))
        {
            throw new WorkflowRuleException("That person is not assigned to this page.");
        }

        Reevaluate();
    }

    /// <summary>Reflects that a moderator's account was deactivated (leave, departure).</summary>
    public void ModeratorDeactivated(Guid staffId)
    {
        if (_moderators.TryGetValue(staffId, out var moderator))
        {
            _moderators[staffId] = moderator with { Active = false };
            Reevaluate();
        }
    }

    /// <summary>The platform refused the page's credentials: stop acting on it until an administrator reconnects it.</summary>
    public void MarkNeedsReconnect()
    {
        EnsureNotDeactivated();
        if (Status == PageStatus.NeedsReconnect)
        {
            return;
        }

        Status = PageStatus.NeedsReconnect;
        _alerts.Add(new PageAlert(AlertKinds.PageNeedsReconnect, "The platform refused this page's credentials; an administrator must reconnect it."));
    }

    public void Reconnect(string credentialsCiphertext)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(credentialsCiphertext);
        EnsureNotDeactivated();
        CredentialsCiphertext = credentialsCiphertext;
        if (Status == PageStatus.NeedsReconnect)
        {
            Status = Eligible ? PageStatus.Active : (IsFullyApproved ? PageStatus.NeedsModerators : PageStatus.Pending);
        }
    }

    public void Deactivate()
    {
        EnsureNotDeactivated();
        Status = PageStatus.Deactivated;
    }

    public void ChangePollInterval(TimeSpan interval)
    {
        if (interval < TimeSpan.FromSeconds(10))
        {
            throw new WorkflowRuleException("A page is polled at most every 10 seconds.");
        }

        PollInterval = interval;
    }

    public void AdvanceCursor(string? cursor) => Cursor = cursor;

    public void SetThresholdOverrides(string? json) => ThresholdOverridesJson = json;

    internal object Snapshot() => new
    {
        Status = Status.ToString(),
        PollIntervalSeconds = PollInterval.TotalSeconds,
        Approvals = _approvals.Values.OrderBy(a => a.Role).Select(a => new { Role = a.Role.ToString(), a.ApproverName, a.ApproverStaffId, a.ApprovedAt }),
        Moderators = _moderators.Values.OrderBy(m => m.StaffId).Select(m => new { m.StaffId, m.Active }),
        HasCredentials = CredentialsCiphertext is not null,
    };

    private bool Eligible => IsFullyApproved && ActiveModeratorCount >= MinimumModerators;

    private void Reevaluate()
    {
        switch (Status)
        {
            case PageStatus.Pending or PageStatus.NeedsModerators when Eligible:
                Status = PageStatus.Active;
                break;
            case PageStatus.Active when !Eligible:
                Status = PageStatus.NeedsModerators;
                _alerts.Add(new PageAlert(AlertKinds.PageNeedsModerators, $"This page has {ActiveModeratorCount} active moderator(s); at least {MinimumModerators} are required to cover leave and absence."));
                break;
            case PageStatus.NeedsReconnect when ActiveModeratorCount < MinimumModerators:
                _alerts.Add(new PageAlert(AlertKinds.PageNeedsModerators, $"This page has {ActiveModeratorCount} active moderator(s); at least {MinimumModerators} are required to cover leave and absence."));
                break;
            default:
                break;
        }
    }

    private void EnsureNotDeactivated()
    {
        if (Status == PageStatus.Deactivated)
        {
            throw new WorkflowRuleException("The page is deactivated.");
        }
    }
}

/// <summary>An alert raised by a move on a page, written to the alerts table when the page is saved.</summary>
public sealed record PageAlert(string Kind, string Message);
