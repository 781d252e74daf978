namespace Moderator.Core.Workflow;

/// <summary>An illegal move: the state of the case, page or escalation does not allow it.</summary>
public class WorkflowRuleException : InvalidOperationException
{
    public WorkflowRuleException()
    {
    }

    public WorkflowRuleException(string message)
        : base(message)
    {
    }

    public WorkflowRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The person may not do this (not active, wrong role, not assigned, another school). Admin maps it to 403.</summary>
public sealed class WorkflowForbiddenException : Exception
{
    public WorkflowForbiddenException()
    {
    }

    public WorkflowForbiddenException(string message)
        : base(message)
    {
    }

    public WorkflowForbiddenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The named page, case, escalation or person does not exist.</summary>
public sealed class WorkflowNotFoundException : Exception
{
    public WorkflowNotFoundException()
    {
    }

    public WorkflowNotFoundException(string message)
        : base(message)
    {
    }

    public WorkflowNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Someone else changed the entity since it was read (version check failed).</summary>
public sealed class WorkflowConcurrencyException : Exception
{
    public WorkflowConcurrencyException()
    {
    }

    public WorkflowConcurrencyException(string message)
        : base(message)
    {
    }

    public WorkflowConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Thrown by a platform action executor when the platform refused the page's token or permissions: retrying cannot
/// help, so the page moves to NeedsReconnect and an administrator is alerted.
/// </summary>
public sealed class PlatformAuthorizationException : Exception
{
    public PlatformAuthorizationException()
    {
    }

    public PlatformAuthorizationException(string message)
        : base(message)
    {
    }

    public PlatformAuthorizationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Thrown by a platform action executor when the platform will never let this account perform the action on this item
/// (for example hiding an X reply in a conversation the school's account did not start). The outbox row is finished as
/// <c>CannotAct</c>, the comment is flagged "cannot hide — act on the platform" and an alert is raised; the comment is
/// never recorded as hidden.
/// </summary>
public sealed class PlatformCannotActException : Exception
{
    public PlatformCannotActException()
    {
    }

    public PlatformCannotActException(string message)
        : base(message)
    {
    }

    public PlatformCannotActException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
