using Moderator.Worker.Polling;
using Quartz;

namespace Moderator.Worker.Jobs;

/// <summary>Polls one page (the page id is in the job data). Never runs twice at once for one page, in the whole cluster.</summary>
[DisallowConcurrentExecution]
public sealed class PollPageJob(PagePoller poller) : IJob
{
    public const string Group = "pages";
    public const string PageIdKey = "pageId";

    public static JobKey KeyFor(Guid pageId) => new($"poll-{pageId:N}", Group);

    public static TriggerKey TriggerFor(Guid pageId) => new($"poll-{pageId:N}-every", Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var pageId = Guid.Parse(context.MergedJobDataMap.GetString(PageIdKey)!);
        await poller.PollAsync(pageId, cancellationToken);
    }
}
