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

        if (options.MaxConcurrentJobs is < 1 or > 64)
        {
            failures.Add($"Worker:MaxConcurrentJobs must be between 1 and 64 (was {options.MaxConcurrentJobs}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
