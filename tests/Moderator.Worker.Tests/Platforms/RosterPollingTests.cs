using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moderator.Core;
using Moderator.Core.Security;
using Moderator.Core.Storage;
using Moderator.Core.Workflow;
using Moderator.Model;
using Moderator.Model.Detection;
using Moderator.Testing;
using Moderator.Worker.Hosting;
using Moderator.Worker.Platforms.Instagram;
using Moderator.Worker.Polling;
using Moderator.Worker.Simulator;
using Xunit.Abstractions;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// The school's hashed roster reaches the model through the worker's own poller: simulator → PagePoller (with the
/// real trained model) → real PostgreSQL.
/// </summary>
public sealed class RosterPollingTests(DatabaseFixture database, ITestOutputHelper output) : IClassFixture<DatabaseFixture>
{
    private const string Rostered = "Tobias Wainwright";
    private const string NotRostered = "Florian Kettleby";

    [Fact]
    public async Task Comment_naming_a_rostered_pupil_is_flagged_pupil_identification_and_the_same_words_for_a_name_not_on_the_roster_are_not()
    {
        await using var simulator = new InstagramSimulator();
        var baseAddress = await simulator.StartAsync();
        var school = simulator.AddDemoAccount(accountId: "17841400000000931");
        var mediaId = school.PostIds.Values.First();
        var rosteredId = simulator.AddComment(mediaId, $"{Rostered} was brilliant on Saturday, well done", "visitor.one");
        var otherId = simulator.AddComment(mediaId, $"{NotRostered} was brilliant on Saturday, well done", "visitor.two");
        await using var provider = BuildWorker(baseAddress, new ManualTimeProvider(DateTimeOffset.UtcNow));
        var ids = await SeedAsync(provider, school, "roster");
        await provider.GetRequiredService<PupilRosters>().ReplaceAsync(ids.SchoolId, [Rostered, "Amelia Hartley-Brookes"], Actor.Staff(ids.AdministratorId));

        var result = await provider.GetRequiredService<PagePoller>().PollAsync(ids.PageId, CancellationToken.None);

        Assert.Equal("polled", result.Outcome);
        var rostered = await ReasonsAsync(rosteredId);
        var other = await ReasonsAsync(otherId);
        output.WriteLine($"rostered: {string.Join(", ", rostered)}; not rostered: {string.Join(", ", other)}");
        var pupilIdentification = Category.PupilIdentification.CodeName();
        Assert.Contains(rostered, r => r.Category == pupilIdentification && r.Detector == PupilNameDetector.RosterName);
        Assert.DoesNotContain(other, r => r.Category == pupilIdentification);
        Assert.True(result.Hidden >= 1, "the comment naming a rostered pupil is hidden");
    }

    [Fact]
    public async Task Roster_cache_serves_a_school_for_five_minutes_then_picks_up_a_new_upload()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var provider = BuildWorker(new Uri("http://127.0.0.1:9/"), clock);
        var ids = await Core.Workflow.DemoSchool.SeedAsync(provider.GetRequiredService<Organisation>(), provider.GetRequiredService<StaffDirectory>(), new DemoSchoolRequest("not-a-real-hash", "rostercache"));
        var rosters = provider.GetRequiredService<PupilRosters>();
        var cache = provider.GetRequiredService<SchoolRosterCache>();
        var name = HashedPupilRoster.NormaliseName(Rostered);

        Assert.Null(await cache.GetAsync(ids.SchoolId, CancellationToken.None));
        await rosters.ReplaceAsync(ids.SchoolId, [Rostered], Actor.System);
        Assert.Null(await cache.GetAsync(ids.SchoolId, CancellationToken.None));

        clock.Advance(SchoolRosterCache.Lifetime);
        var loaded = await cache.GetAsync(ids.SchoolId, CancellationToken.None);
        Assert.NotNull(loaded);
        Assert.True(loaded.Contains(name));

        await rosters.ReplaceAsync(ids.SchoolId, [NotRostered], Actor.System);
        clock.Advance(SchoolRosterCache.Lifetime - TimeSpan.FromSeconds(1));
        Assert.True((await cache.GetAsync(ids.SchoolId, CancellationToken.None))!.Contains(name));
        clock.Advance(TimeSpan.FromSeconds(1));
        var replaced = await cache.GetAsync(ids.SchoolId, CancellationToken.None);
        Assert.False(replaced!.Contains(name));
        Assert.True(replaced.Contains(HashedPupilRoster.NormaliseName(NotRostered)));
    }

    private async Task<IReadOnlyList<StoredReason>> ReasonsAsync(string externalId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var json = await connection.QuerySingleAsync<string>(
            """
            SELECT a.reasons::text FROM comments c
            JOIN comment_revisions r ON r.comment_id = c.id
            JOIN assessments a ON a.revision_id = r.id
            WHERE c.external_id = @externalId
            """,
            new { externalId });
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(r => new StoredReason(r.GetProperty("category").GetString()!, r.GetProperty("detector").GetString()!))];
    }

    private sealed record StoredReason(string Category, string Detector);

    private ServiceProvider BuildWorker(Uri baseAddress, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Instagram:BaseAddress"] = baseAddress.ToString() }).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(clock)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddModeratorStorage(database.ConnectionString, migrateOnStart: false)
            .AddModeratorWorkflow()
            .AddModeratorDataProtection()
            .AddInstagramConnector(configuration)
            .AddModerationModel(configuration)
            .AddPagePolling()
            .BuildServiceProvider();
    }

    private static Task<DemoSchoolIds> SeedAsync(ServiceProvider provider, Simulator.SimulatedDemoSchool school, string tag) =>
        Core.Workflow.DemoSchool.SeedAsync(
            provider.GetRequiredService<Organisation>(),
            provider.GetRequiredService<StaffDirectory>(),
            new DemoSchoolRequest("not-a-real-hash", tag, Platform: Platform.Instagram)
            {
                PageExternalId = school.Page.Id,
                PageName = InstagramSimulator.DemoUsername,
                CredentialsCiphertext = provider.GetRequiredService<SecretProtector>().Protect(school.Page.AccessToken),
                PollInterval = TimeSpan.FromSeconds(60),
            });
}
