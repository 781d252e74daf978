using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Moderator.Admin.Tests.Support;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Tests;

public sealed class RosterAdministrationTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private const string Url = "/Admin/Roster";

    private readonly World _world = fixture.World;

    private PupilRosters Rosters => fixture.Admin.Services.GetRequiredService<PupilRosters>();

    [Fact]
    public async Task Administrator_uploads_a_roster_file_and_sees_the_count_but_never_the_names()
    {
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["admin"]);
        var file = "Marisol Featherstonehaugh\r\n\r\n\"Cassius Brightwater\",6W\n   \nPerpetua Ashcombe-Lindqvist\n";

        var response = await PostFileAsync(admin, _world.A.SchoolId, file);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await admin.GetStringAsync(new Uri(Url, UriKind.Relative));
        Assert.Contains("3 names", html, StringComparison.Ordinal);
        Assert.Contains("by Pat Administrator", html, StringComparison.Ordinal);
        foreach (var part in new[] { "Marisol", "Featherstonehaugh", "Cassius", "Brightwater", "Perpetua", "Lindqvist" })
        {
            Assert.DoesNotContain(part, html, StringComparison.OrdinalIgnoreCase);
        }

        var roster = await Rosters.LoadAsync(_world.A.SchoolId);
        Assert.NotNull(roster);
        Assert.True(roster.Contains("cassius brightwater"));
        Assert.True(roster.Contains("perpetua ashcombe-lindqvist"));

        var pasted = await AdminClient.PostFormAsync(admin, Url + "?handler=Upload", new Dictionary<string, string>
        {
            ["schoolId"] = _world.A.SchoolId.ToString(),
            ["names"] = "Ottoline Greaves\nBartholomew Quince\n",
        }, Url);
        Assert.Equal(HttpStatusCode.Redirect, pasted.StatusCode);
        Assert.Contains("2 names", await admin.GetStringAsync(new Uri(Url, UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(2, await Rosters.CountAsync(_world.A.SchoolId));
    }

    [Fact]
    public async Task Administrator_of_another_school_is_refused_and_the_roster_is_unchanged()
    {
        var before = await Rosters.CountAsync(_world.A.SchoolId);
        using var other = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["admin"]);

        var response = await PostFileAsync(other, _world.A.SchoolId, "Ignatius Fernsby\nWilhelmina Tarrant\nAugustin Peverell\nLorcan Whitby\n");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await Rosters.CountAsync(_world.A.SchoolId));
        Assert.DoesNotContain(_world.A.SchoolId.ToString(), await other.GetStringAsync(new Uri(Url, UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moderator_cannot_open_the_roster_page()
    {
        using var moderator = await AdminClient.SignedInAsync(fixture.Admin, _world.A.Usernames["moderator1"]);

        var response = await moderator.GetAsync(new Uri(Url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Roster_file_over_one_megabyte_is_refused_with_a_reason()
    {
        using var admin = await AdminClient.SignedInAsync(fixture.Admin, _world.B.Usernames["admin"]);
        var big = new StringBuilder();
        while (big.Length <= 1024 * 1024)
        {
            big.Append("Someone Withaverylongname\n");
        }

        var response = await PostFileAsync(admin, _world.B.SchoolId, big.ToString());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("larger than 1 MB", await admin.GetStringAsync(response.Headers.Location!), StringComparison.Ordinal);
        Assert.Equal(0, await Rosters.CountAsync(_world.B.SchoolId));
    }

    private static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, Guid schoolId, string fileText)
    {
        var token = await AdminClient.TokenAsync(client, Url);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__rvt" },
            { new StringContent(schoolId.ToString()), "schoolId" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(fileText));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "roster.csv");
        return await client.PostAsync(new Uri(Url + "?handler=Upload", UriKind.Relative), content);
    }
}
