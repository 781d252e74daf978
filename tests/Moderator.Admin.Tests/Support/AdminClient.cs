using System.Net;
using System.Text.RegularExpressions;

namespace Moderator.Admin.Tests.Support;

/// <summary>An HTTP client that signs in through the real form (antiforgery token included) and keeps the cookies.</summary>
public static partial class AdminClient
{
    public static HttpClient Anonymous(AdminFactory factory) =>
        factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpClient> SignedInAsync(AdminFactory factory, string username, string password = World.Password)
    {
        var client = Anonymous(factory);
        var response = await PostFormAsync(client, "/Account/SignIn", new Dictionary<string, string> { ["Username"] = username, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in of {username} answered {(int)response.StatusCode}.");
        }

        return client;
    }

    /// <summary>GETs the form page for its antiforgery token, then POSTs the fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, IDictionary<string, string> fields, string? formPage = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var token = await TokenAsync(client, formPage ?? url);
        var content = new FormUrlEncodedContent(fields.Append(new KeyValuePair<string, string>("__rvt", token)));
        return await client.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    public static async Task<string> TokenAsync(HttpClient client, string page)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(new Uri(page, UriKind.Relative));
        var match = TokenField().Match(html);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"No antiforgery token on {page}.");
    }

    [GeneratedRegex("name=\"__rvt\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
