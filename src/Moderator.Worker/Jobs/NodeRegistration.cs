using Microsoft.Extensions.Hosting;
using Moderator.Core.Storage;
using Quartz;

namespace Moderator.Worker.Jobs;

/// <summary>Records this worker process under its Quartz instance id once the scheduler has started.</summary>
internal sealed class NodeRegistration(ISchedulerFactory schedulers, NodeRegistry nodes, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await nodes.HeartbeatAsync(scheduler.SchedulerInstanceId, "worker", clock.GetUtcNow(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
