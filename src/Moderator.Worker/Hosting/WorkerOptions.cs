using Microsoft.Extensions.Options;

namespace Moderator.Worker.Hosting;

/// <summary>Settings of the unattended worker ("Worker" section).</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>How often the cluster records which nodes are alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each node checks in with Quartz's cluster (a dead node's work is taken over after a few of these).</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the poll schedules are matched to the pages table (and webhook poll requests picked up).</summary>
    public TimeSpan PageScheduleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often due outbox rows (hides, notifications) are carried out.</summary>
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often escalation acknowledgement deadlines are checked.</summary>
    public TimeSpan EscalationDeadlineInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the retention purge runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Threads running jobs on this node.</summary>
    public int MaxConcurrentJobs { get; set; } = 8;
}

internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var failures = new List<string>();
        if (options.HeartbeatInterval < TimeSpan.FromSeconds(1) || options.HeartbeatInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Worker:HeartbeatInterval must be between 00:00:01 and 00:10:00 (was {options.HeartbeatInterval}).");
        }

        if (options.ClusterCheckinInterval < TimeSpan.FromSeconds(1) || options.ClusterCheckinInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Worker:ClusterCheckinInterval must be between 00:00:01 and 00:01:00 (was {options.ClusterCheckinInterval}).");
        }

        Check(failures, "PageScheduleInterval", options.PageScheduleInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Check(failures, "OutboxInterval", options.OutboxInterval, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(10));
        Check(failures, "EscalationDeadlineInterval", options.EscalationDeadlineInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Check(failures, "RetentionInterval", options.RetentionInterval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        if (options.MaxConcurrentJobs is < 1 or > 64)
        {
            failures.Add($"Worker:MaxConcurrentJobs must be between 1 and 64 (was {options.MaxConcurrentJobs}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"Worker:{name} must be between {min} and {max} (was {value}).");
        }
    }
}
