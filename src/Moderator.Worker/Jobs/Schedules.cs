using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moderator.Worker.Hosting;
using Quartz;

namespace Moderator.Worker.Jobs;

/// <summary>
/// Every recurring schedule of the worker, in one place. Each is created only when missing, or replaced when its
/// interval changed, so nodes starting together do not fire a job twice.
/// </summary>
internal sealed partial class Schedules(ISchedulerFactory schedulers, IOptions<WorkerOptions> options, ILogger<Schedules> logger) : IHostedService
{
    public static void AddJobs(IQuartzBuilder quartz)
    {
        quartz.AddJob<HeartbeatJob>(j => j.WithIdentity(HeartbeatJob.Key).StoreDurably().WithDescription("Records live worker nodes"));
        quartz.AddJob<PageScheduleSyncJob>(j => j.WithIdentity(PageScheduleSyncJob.Key).StoreDurably().WithDescription("Matches poll schedules to the active pages"));
        quartz.AddJob<DispatchOutboxJob>(j => j.WithIdentity(DispatchOutboxJob.Key).StoreDurably().WithDescription("Carries out hides, unhides, deletes and notifications"));
        quartz.AddJob<EscalationDeadlineJob>(j => j.WithIdentity(EscalationDeadlineJob.Key).StoreDurably().WithDescription("Chases unacknowledged escalations"));
        quartz.AddJob<RetentionPurgeJob>(j => j.WithIdentity(RetentionPurgeJob.Key).StoreDurably().WithDescription("Purges comment text past its retention period"));
        // Poll jobs (group "pages") are created per page by PageScheduleSyncJob.
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var o = options.Value;
        await EnsureRecurringAsync(scheduler, HeartbeatJob.Key, o.HeartbeatInterval, cancellationToken);
        await EnsureRecurringAsync(scheduler, PageScheduleSyncJob.Key, o.PageScheduleInterval, cancellationToken);
        await EnsureRecurringAsync(scheduler, DispatchOutboxJob.Key, o.OutboxInterval, cancellationToken);
        await EnsureRecurringAsync(scheduler, EscalationDeadlineJob.Key, o.EscalationDeadlineInterval, cancellationToken);
        await EnsureRecurringAsync(scheduler, RetentionPurgeJob.Key, o.RetentionInterval, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task EnsureRecurringAsync(IScheduler scheduler, JobKey job, TimeSpan interval, CancellationToken cancellationToken)
    {
        var triggerKey = new TriggerKey(job.Name + "-every", job.Group);
        if (await scheduler.GetTrigger(triggerKey, cancellationToken) is ISimpleTrigger existing && existing.RepeatInterval == interval)
        {
            return;
        }

        var trigger = TriggerBuilder.Create()
            .WithIdentity(triggerKey)
            .ForJob(job)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        try
        {
            if (await scheduler.Exists(triggerKey, cancellationToken))
            {
                await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken);
            }
            else
            {
                await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken);
            }

            LogScheduled(logger, job.Name, interval);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another node created it at the same moment.
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Scheduled {Job} every {Interval}")]
    private static partial void LogScheduled(ILogger logger, string job, TimeSpan interval);
}
