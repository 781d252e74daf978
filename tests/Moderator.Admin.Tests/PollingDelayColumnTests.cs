using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Moderator.Admin.Tests.Support;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Tests;

/// <summary>The administrator's pages list shows each monitored page's poll interval and worst-case detection delay.</summary>
public sealed partial class PollingDelayColumnTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private readonly World _world = fixture.World;

    [Fact]
    public async Task Pages_list_shows_the_delay_polling_delays_computes_and_why_the_youtube_quota_shared_by_three_channels_stretched_it()
    {
        // Three YouTube channels in the installation (two of school A, one of school B) share one daily quota; the two
        // schools' Facebook pages each have their own Meta budget. Every page asks to be polled each minute.
        var organisation = World.Organisation(fixture.DataSource);
        var youTubeA1 = await AddActivePageAsync(_world.A, Platform.YouTube);
        var youTubeA2 = await AddActivePageAsync(_world.A, Platform.YouTube);
        await AddActivePageAsync(_world.B, Platform.YouTube);
        var pending = await organisation.RegisterPageAsync(_world.A.SchoolId, Platform.X, "x-" + Guid.NewGuid().ToString("N")[..8], "Pending X", TimeSpan.FromMinutes(1), null, Actor.System);
        var expected = (await new PollingDelays(organisation, new PollingPlanner(Options.Create(new PollingBudgetOptions()))).ListActivePagesAsync())
            .ToDictionary(p => p.PageId);

        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);
        var response = await admin.GetAsync(new Uri("/Admin/Pages", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var facebook = expected[_world.A.PageId];
        var youTube = expected[youTubeA1];
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(90), false), (facebook.EffectiveInterval, facebook.WorstCaseDetectionDelay, facebook.SlowedByBudget));
        Assert.Equal((TimeSpan.FromSeconds(68), TimeSpan.FromSeconds(98), true), (youTube.EffectiveInterval, youTube.WorstCaseDetectionDelay, youTube.SlowedByBudget));
        foreach (var pageId in new[] { _world.A.PageId, youTubeA1, youTubeA2 })
        {
            var cell = DetectionCell(html, pageId);
            Assert.Equal(((long)expected[pageId].EffectiveInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture), cell.Groups["effective"].Value);
            Assert.Equal(((long)expected[pageId].WorstCaseDetectionDelay.TotalSeconds).ToString(CultureInfo.InvariantCulture), cell.Groups["worst"].Value);
        }

        var facebookText = Text(DetectionCell(html, _world.A.PageId));
        Assert.Equal("checked every 1 min · worst-case delay 1 min 30 s", facebookText);
        var youTubeText = Text(DetectionCell(html, youTubeA1));
        Assert.Equal("checked every 1 min 8 s · worst-case delay 1 min 38 s stretched from 1 min by the YouTube daily quota shared by 3 channels", youTubeText);
        Assert.Contains("not polled", Row(html, pending), StringComparison.Ordinal);
        Assert.DoesNotContain(_world.B.PageId.ToString(), html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(45, "45 s")]
    [InlineData(130, "2 min 10 s")]
    [InlineData(3_600, "1 h")]
    [InlineData(3_905, "1 h 5 min 5 s")]
    [InlineData(90_061, "1 d 1 h 1 min 1 s")]
    public void Durations_read_as_whole_units(int seconds, string expected) =>
        Assert.Equal(expected, Moderator.Admin.Pages.Admin.Pages.PollingSummary.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void A_fraction_of_a_second_is_rounded_up_so_a_delay_is_never_understated() =>
        Assert.Equal("1 min 1 s", Moderator.Admin.Pages.Admin.Pages.PollingSummary.Duration(TimeSpan.FromSeconds(60.2)));

    [Fact]
    public void A_channel_alone_on_the_quota_is_not_said_to_share_it_and_a_page_polled_as_asked_has_no_stretch()
    {
        var alone = new Moderator.Admin.Pages.Admin.Pages.PollingSummary(
            new PagePollPlan(Guid.NewGuid(), Platform.YouTube, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(23), TimeSpan.FromSeconds(53), PollingLimit.YouTubeDailyQuota), 1);
        var asAsked = new Moderator.Admin.Pages.Admin.Pages.PollingSummary(
            new PagePollPlan(Guid.NewGuid(), Platform.X, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(330), PollingLimit.PagesOwnInterval), 4);

        Assert.Equal("stretched from 10 s by the YouTube daily quota", alone.Stretch);
        Assert.Equal(("checked every 5 min", "worst-case delay 5 min 30 s"), (asAsked.Checked, asAsked.WorstCase));
        Assert.Null(asAsked.Stretch);
    }

    private async Task<Guid> AddActivePageAsync(DemoSchoolIds school, Platform platform) =>
        await DemoSchool.AddApprovedPageAsync(
            World.Organisation(fixture.DataSource),
            school.SchoolId,
            new DemoPage(platform, $"{platform}-{Guid.NewGuid():N}"[..24], $"{platform} channel", null, TimeSpan.FromMinutes(1)),
            [school.Moderator1Id, school.Moderator2Id],
            Actor.Staff(school.AdministratorId));

    private static string Row(string html, Guid pageId)
    {
        var match = Regex.Match(html, $"<tr data-page=\"{pageId}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no row for page {pageId}");
        return match.Groups[1].Value;
    }

    private static Match DetectionCell(string html, Guid pageId)
    {
        var match = DetectionCellPattern().Match(Row(html, pageId));
        Assert.True(match.Success, $"no detection cell for page {pageId}");
        return match;
    }

    private static string Text(Match cell) =>
        WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(cell.Groups["text"].Value, " "), " ")).Trim();

    [GeneratedRegex("""<td data-label="Detection" class="polling" data-effective-seconds="(?<effective>\d+)" data-worst-case-seconds="(?<worst>\d+)">(?<text>.*?)</td>""", RegexOptions.Singleline)]
    private static partial Regex DetectionCellPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
