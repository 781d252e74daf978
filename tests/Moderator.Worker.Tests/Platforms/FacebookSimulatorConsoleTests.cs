using System.Net;
using System.Text.Json;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

public sealed class FacebookSimulatorConsoleTests
{
    [Fact]
    public async Task A_visitor_comment_posted_through_the_console_is_listed_by_the_connector_and_shown_encoded()
    {
        await using var harness = await GraphHarness.StartAsync();
        var post = harness.Simulator.AddPost(harness.Page.Id, "Sports day");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(harness.Simulator.BaseAddress!, "/") };

        using var posted = await http.PostAsync("/_sim/comments", new FormUrlEncodedContent([new("post_id", post), new("message", "<script>alert(1)</script> hi"), new("author", "Typing Parent")]));
        var batch = await harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None);
        var comment = Assert.Single(batch.Comments);
        await harness.Connector.HideAsync(harness.Access, comment.ExternalId, CancellationToken.None);
        var html = await http.GetStringAsync("/_sim");

        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Equal("<script>alert(1)</script> hi", comment.Text);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; hi", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("HIDDEN", html, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Page.AccessToken, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_switched_on_through_the_console_hit_the_next_graph_request_and_counters_are_served_as_json()
    {
        await using var harness = await GraphHarness.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(harness.Simulator.BaseAddress!, "/") };

        using var switched = await http.PostAsync("/_sim/faults", new FormUrlEncodedContent([new("fault", "internalservererror"), new("count", "1")]));
        await Assert.ThrowsAsync<Core.Platforms.PlatformException>(() => harness.Connector.ListNewCommentsAsync(harness.Access, null, CancellationToken.None));
        using var state = JsonDocument.Parse(await http.GetStringAsync("/_sim/state"));

        Assert.Equal(HttpStatusCode.SeeOther, switched.StatusCode);
        Assert.Equal(0, harness.Simulator.PendingFaults);
        Assert.Equal(1, state.RootElement.GetProperty("total_requests").GetInt32());
        Assert.Equal(1, state.RootElement.GetProperty("calls").GetProperty(SimulatorEndpoints.PublishedPosts).GetInt32());
    }
}
