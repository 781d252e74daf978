using Moderator.Core.Workflow;
using Moderator.Worker.Hosting;
using Quartz;

namespace Moderator.Worker.Jobs;

/// <summary>Carries out due outbox rows: platform actions and notifications.</summary>
[DisallowConcurrentExecution]
public sealed class DispatchOutboxJob(OutboxDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new("dispatch-outbox", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // Drain what is due, a batch at a time, but give the scheduler back its thread between ticks.
        for (var batch = 0; batch < 20; batch++)
        {
            var result = await dispatcher.DispatchAsync(WorkerHost.NodeId, cancellationToken);
            if (result.Claimed == 0)
            {
                break;
            }
        }
    }
}

/// <summary>Re-sends unacknowledged escalations to deputies, then to the trust's safeguarding lead.</summary>
[DisallowConcurrentExecution]
public sealed class EscalationDeadlineJob(Escalations escalations) : IJob
{
    public static readonly JobKey Key = new("escalation-deadlines", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await escalations.CheckDeadlinesAsync(cancellationToken);
}

/// <summary>Purges comment text past its retention period (never under an open case or escalation).</summary>
[DisallowConcurrentExecution]
public sealed class RetentionPurgeJob(Retention retention) : IJob
{
    public static readonly JobKey Key = new("retention-purge", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.PurgeAsync(cancellationToken);
}
