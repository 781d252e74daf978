using Moderator.Core.Storage;
using Quartz;

namespace Moderator.Worker.Jobs;

/// <summary>
/// Copies Quartz's own view of the live cluster (each node's last check-in) into worker_nodes, so the
/// product can show which worker processes are alive. Runs on one node per tick.
/// </summary>
[DisallowConcurrentExecution]
public sealed class HeartbeatJob(NodeRegistry nodes) : IJob
{
    public static readonly JobKey Key = new("heartbeat", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await nodes.SyncFromClusterAsync(context.Scheduler.SchedulerName, cancellationToken);
}
