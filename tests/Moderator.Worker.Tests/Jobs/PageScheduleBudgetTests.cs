using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Core.Workflow;
using Moderator.Worker.Jobs;
using Npgsql;

namespace Moderator.Worker.Tests.Jobs;

/// <summary>The schedule job built the way Quartz builds it (ActivatorUtilities), with and without the polling planner registered.</summary>
public sealed class PageScheduleBudgetTests
{
    [Fact]
    public void Without_the_planner_registered_the_job_still_builds_and_polls_at_each_pages_own_interval()
    {
        using var provider = Services(withPlanner: false);

        var job = Create(provider);
        var pages = YouTubePages(10, TimeSpan.FromMinutes(1));

        Assert.All(job.EffectiveIntervals(pages).Values, interval => Assert.Equal(TimeSpan.FromMinutes(1), interval));
    }

    [Fact]
    public void With_the_planner_registered_youtube_pages_are_stretched_to_the_quota_and_others_keep_their_interval()
    {
        using var provider = Services(withPlanner: true);

        var job = Create(provider);
        var youtube = YouTubePages(10, TimeSpan.FromMinutes(1));
        var facebook = Page(Platform.Facebook, TimeSpan.FromMinutes(1));
        var intervals = job.EffectiveIntervals([.. youtube, facebook]);

        Assert.All(youtube, p => Assert.Equal(TimeSpan.FromSeconds(225), intervals[p.Id]));
        Assert.Equal(TimeSpan.FromMinutes(1), intervals[facebook.Id]);
    }

    private static ServiceProvider Services(bool withPlanner)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        // Never opened: the job only reads pages when it runs, and these tests do not run it.
        services.AddSingleton(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Database=unused"));
        services.AddSingleton<Organisation>();
        if (withPlanner)
        {
            services.AddPollingBudget(new ConfigurationBuilder().Build());
        }

        return services.BuildServiceProvider();
    }

    private static PageScheduleSyncJob Create(IServiceProvider provider) =>
        (PageScheduleSyncJob)ActivatorUtilities.CreateFactory(typeof(PageScheduleSyncJob), Type.EmptyTypes)(provider, null);

    private static List<Page> YouTubePages(int count, TimeSpan interval) => [.. Enumerable.Range(0, count).Select(_ => Page(Platform.YouTube, interval))];

    private static Page Page(Platform platform, TimeSpan interval) =>
        new(Guid.NewGuid(), Guid.NewGuid(), platform, "ext", "Oakfield", PageStatus.Active, interval, null, null, null, 1, [], []);
}
