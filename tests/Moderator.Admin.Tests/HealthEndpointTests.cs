using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Moderator.Testing;

namespace Moderator.Admin.Tests;

public sealed class HealthEndpointTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static WebApplicationFactory<Program> Admin(string connectionString) => new WebApplicationFactory<Program>()
        .WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Moderator", connectionString).UseSetting("Logging:Directory", Path.GetTempPath()));

    [Fact]
    public async Task Ready_and_live_answer_healthy_with_the_database_up()
    {
        await using var admin = Admin(database.ConnectionString);
        using var client = admin.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_reports_unavailable_when_the_database_is_gone_while_live_stays_up()
    {
        var doomed = await PostgresCluster.CreateDatabaseAsync("health");
        await using var admin = Admin(doomed);
        using var client = admin.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);

        await PostgresCluster.DropDatabaseAsync(doomed);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }
}
