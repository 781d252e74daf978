namespace Moderator.Core.Workflow;

/// <summary>Who did something: a named staff member, or the system itself (worker jobs, model verdicts).</summary>
public readonly record struct Actor(Guid? StaffId)
{
    public static Actor System { get; } = new(null);

    public static Actor Staff(Guid staffId) => new(staffId);

    public bool IsSystem => StaffId is null;

    public override string ToString() => StaffId is { } id ? $"staff:{id}" : "system";
}
