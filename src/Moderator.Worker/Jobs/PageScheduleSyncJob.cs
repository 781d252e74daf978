using Microsoft.Extensions.Logging;
using Moderator.Core.Platforms;
using Moderator.Core.Workflow;
using Quartz;

namespace Moderator.Worker.Jobs;

/// <summary>
/// Makes the poll schedules follow the pages table: an Active page gets a poll job at its interval (started at a random
/// offset so pages spread out), a page that stops being Active loses it, and a page a webhook asked about is polled now.
/// When the polling planner is registered (AddPollingBudget), a page is polled at the longer of its own interval and
/// the minimum its platform's quota allows for the number of active pages.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PageScheduleSyncJob(Organisation organisation, TimeProvider clock, ILogger<PageScheduleSyncJob> logger, PollingPlanner? planner = null) : IJob
{
    public static readonly JobKey Key = new("page-schedules", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var scheduler = context.Scheduler;
        var active = await organisation.ListActivePagesAsync(cancellationToken);
        var wanted = active.ToDictionary(p => PollPageJob.KeyFor(p.Id));
        var intervals = EffectiveIntervals(active);

        foreach (var existing in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(PollPageJob.Group), cancellationToken))
        {
            if (!wanted.ContainsKey(existing))
            {
                await scheduler.DeleteJob(existing, cancellationToken);
                LogUnscheduled(logger, existing.Name);
            }
        }

        foreach (var (jobKey, page) in wanted)
        {
            var interval = intervals[page.Id];
            var triggerKey = PollPageJob.TriggerFor(page.Id);
            if (await scheduler.GetTrigger(triggerKey, cancellationToken) is ISimpleTrigger current && current.RepeatInterval == interval)
            {
                continue;
            }

            var job = JobBuilder.Create<PollPageJob>()
                .WithIdentity(jobKey)
                .WithDescription($"Poll page {page.Id}")
                .UsingJobData(PollPageJob.PageIdKey, page.Id.ToString())
                .StoreDurably()
                .Build();
            // Jitter: spread first polls over the interval so pages registered together do not poll together.
            var offset = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(interval.TotalMilliseconds, 30_000));
            var trigger = TriggerBuilder.Create()
                .WithIdentity(triggerKey)
                .ForJob(jobKey)
                .StartAt(clock.GetUtcNow().Add(offset))
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
            await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
            LogScheduled(logger, page.Id, interval);
        }

        foreach (var pageId in await organisation.TakePollRequestsAsync(cancellationToken))
        {
            if (await scheduler.Exists(PollPageJob.KeyFor(pageId), cancellationToken))
            {
                await scheduler.TriggerJob(PollPageJob.KeyFor(pageId), cancellationToken: cancellationToken);
            }
        }
    }

    /// <summary>Each page's poll interval: its own, stretched by the polling budget when a planner is registered.</summary>
    public Dictionary<Guid, TimeSpan> EffectiveIntervals(IReadOnlyList<Page> activePages) =>
        planner is null
            ? activePages.ToDictionary(p => p.Id, p => p.PollInterval)
            : planner.PlanPages(activePages).ToDictionary(p => p.PageId, p => p.EffectiveInterval);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Polling page {PageId} every {Interval}")]
    private static partial void LogScheduled(ILogger logger, Guid pageId, TimeSpan interval);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Stopped polling {Job}: the page is no longer active")]
    private static partial void LogUnscheduled(ILogger logger, string job);
}
