using System.Net;
using System.Text.Json;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.X;
using Moderator.Worker.Simulator;

namespace Moderator.Worker.Tests.Platforms;

/// <summary>
/// The client reads the response shapes X documents (written here from the documented field lists), and the simulator
/// answers in those same shapes, so tests against the simulator say something about the real API.
/// </summary>
public sealed class XContractTests
{
    private const string DocumentedSearch = """
        {
          "data": [
            {"id": "1861234567890123456", "text": "reply text", "author_id": "2244994945", "conversation_id": "1861234500000000000",
             "in_reply_to_user_id": "783214", "created_at": "2026-11-20T08:30:00.000Z", "edit_history_tweet_ids": ["1861234567890123456"],
             "referenced_tweets": [{"type": "replied_to", "id": "1861234500000000000"}]}
          ],
          "includes": {"users": [{"id": "2244994945", "name": "A Person", "username": "aperson"}]},
          "meta": {"newest_id": "1861234567890123456", "oldest_id": "1861234567890123456", "result_count": 1, "next_token": "b26v89c19zqg8o3fpzbkk"}
        }
        """;

    [Fact]
    public void Documented_search_response_reads_into_posts_users_and_meta()
    {
        var page = JsonSerializer.Deserialize(DocumentedSearch, XJsonContext.Default.XSearchPage)!;

        var post = Assert.Single(page.Data!);
        Assert.Equal("1861234500000000000", post.ConversationId);
        Assert.Equal("783214", post.InReplyToUserId);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 8, 30, 0, TimeSpan.Zero), post.CreatedAt);
        Assert.Equal(("replied_to", "1861234500000000000"), (post.ReferencedTweets![0].Type, post.ReferencedTweets[0].Id));
        Assert.Equal("aperson", Assert.Single(page.Includes!.Users!).Username);
        Assert.Equal(("b26v89c19zqg8o3fpzbkk", 1), (page.Meta!.NextToken, page.Meta.ResultCount));
    }

    [Fact]
    public void Empty_search_has_only_meta()
    {
        var page = JsonSerializer.Deserialize("""{"meta":{"result_count":0}}""", XJsonContext.Default.XSearchPage)!;

        Assert.Null(page.Data);
        Assert.Equal(0, page.Meta!.ResultCount);
        Assert.Null(page.Meta.NextToken);
    }

    [Theory]
    [InlineData("""{"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.x.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}""", 429, PlatformErrorKind.RateLimited)]
    [InlineData("""{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}""", 429, PlatformErrorKind.RateLimited)]
    [InlineData("""{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""", 401, PlatformErrorKind.AuthorizationFailed)]
    [InlineData("""{"title":"Client Forbidden","detail":"This request must be made using an approved developer account.","type":"https://api.x.com/2/problems/client-forbidden","reason":"client-not-enrolled"}""", 403, PlatformErrorKind.AuthorizationFailed)]
    [InlineData("""{"errors":[{"parameters":{"since_id":[]},"message":"Invalid since_id"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.x.com/2/problems/invalid-request"}""", 400, PlatformErrorKind.BadRequest)]
    [InlineData("""{"title":"Service Unavailable","type":"about:blank","status":503,"detail":"Service Unavailable"}""", 503, PlatformErrorKind.Transient)]
    public void Documented_problem_documents_map_to_the_callers_next_move(string body, int status, PlatformErrorKind expected)
    {
        var problem = JsonSerializer.Deserialize(body, XJsonContext.Default.XProblemEnvelope)!.Primary;

        Assert.Equal(expected, XErrorMapper.Classify((HttpStatusCode)status, problem, isModeration: false));
    }

    [Theory]
    [InlineData("""{"title":"Forbidden","type":"about:blank","status":403,"detail":"You are not permitted to hide replies in a conversation you did not start."}""", PlatformErrorKind.CannotHide)]
    [InlineData("""{"title":"Forbidden","type":"about:blank","status":403,"detail":"Missing the tweet.moderate.write scope."}""", PlatformErrorKind.AuthorizationFailed)]
    [InlineData("""{"title":"Client Forbidden","type":"https://api.x.com/2/problems/client-forbidden","detail":"not enrolled"}""", PlatformErrorKind.AuthorizationFailed)]
    public void A_forbidden_hide_is_cannot_hide_unless_the_app_or_token_itself_is_refused(string body, PlatformErrorKind expected)
    {
        var problem = JsonSerializer.Deserialize(body, XJsonContext.Default.XProblemEnvelope)!.Primary;

        Assert.Equal(expected, XErrorMapper.Classify(HttpStatusCode.Forbidden, problem, isModeration: true));
    }

    [Fact]
    public void Partial_errors_carry_resource_ids_and_a_not_found_kind()
    {
        const string body = """{"errors":[{"value":"123","detail":"Could not find tweet with id: [123].","title":"Not Found Error","resource_type":"tweet","parameter":"id","resource_id":"123","type":"https://api.x.com/2/problems/resource-not-found"}]}""";

        var lookup = JsonSerializer.Deserialize(body, XJsonContext.Default.XPostLookup)!;

        Assert.Null(lookup.Data);
        var error = Assert.Single(lookup.Errors!);
        Assert.Equal(("tweet", "123", "resource-not-found"), (error.ResourceType, error.ResourceId, error.Kind));
        Assert.Equal(PlatformErrorKind.NotFound, XErrorMapper.Classify(HttpStatusCode.OK, error, isModeration: true));
    }

    [Fact]
    public void Documented_hide_and_token_answers_read()
    {
        var hidden = JsonSerializer.Deserialize("""{"data":{"hidden":true}}""", XJsonContext.Default.XHiddenResponse)!;
        var token = JsonSerializer.Deserialize("""{"token_type":"bearer","expires_in":7200,"access_token":"a","scope":"tweet.read users.read tweet.moderate.write offline.access","refresh_token":"r"}""", XJsonContext.Default.XTokenResponse)!;

        Assert.True(hidden.Data!.Hidden);
        Assert.Equal((7200, "a", "r"), (token.ExpiresIn!.Value, token.AccessToken, token.RefreshToken));
        Assert.Equal("""{"hidden":true}""", JsonSerializer.Serialize(new XHiddenRequest(true), XJsonContext.Default.XHiddenRequest));
    }

    [Fact]
    public async Task Simulator_answers_search_in_the_documented_shape_with_rate_limit_headers()
    {
        await using var x = await XHarness.StartAsync();
        x.SchoolPostWithReplies(12);
        using var http = new HttpClient { BaseAddress = x.Simulator.BaseAddress };
        var credentials = XCredentials.TryParse(x.Secret)!;
        http.DefaultRequestHeaders.Authorization = new("Bearer", credentials.AccessToken);

        using var response = await http.GetAsync(new Uri($"tweets/search/recent?query={Uri.EscapeDataString("to:OakfieldPrimary is:reply")}&max_results=10&tweet.fields={XApiClient.PostFields}&expansions=author_id&user.fields=id,name,username", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, root.GetProperty("data").GetArrayLength());
        var first = root.GetProperty("data")[0];
        foreach (var field in new[] { "id", "text", "author_id", "conversation_id", "in_reply_to_user_id", "created_at", "referenced_tweets" })
        {
            Assert.True(first.TryGetProperty(field, out _), field);
        }

        Assert.Equal("sunnyparent77", root.GetProperty("includes").GetProperty("users")[0].GetProperty("username").GetString());
        var meta = root.GetProperty("meta");
        Assert.Equal(10, meta.GetProperty("result_count").GetInt32());
        Assert.Equal(first.GetProperty("id").GetString(), meta.GetProperty("newest_id").GetString());
        Assert.True(meta.TryGetProperty("next_token", out _));
        Assert.Equal(["300"], response.Headers.GetValues(XRateLimit.LimitHeader));
        Assert.Equal(["299"], response.Headers.GetValues(XRateLimit.RemainingHeader));
        Assert.Equal([(XHarness.Start + TimeSpan.FromMinutes(15)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)], response.Headers.GetValues(XRateLimit.ResetHeader));
    }

    [Fact]
    public async Task Simulator_refuses_a_spent_refresh_token_with_invalid_request()
    {
        await using var x = await XHarness.StartAsync();
        var credentials = XCredentials.TryParse(x.Secret)!;
        using var http = new HttpClient { BaseAddress = x.Simulator.BaseAddress };
        FormUrlEncodedContent Form() => new([new("grant_type", "refresh_token"), new("refresh_token", credentials.RefreshToken), new("client_id", x.ClientId)]);

        using var first = await http.PostAsync(new Uri("oauth2/token", UriKind.Relative), Form());
        using var second = await http.PostAsync(new Uri("oauth2/token", UriKind.Relative), Form());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("invalid_request", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
