using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Moderator.Worker.Simulator;

/// <summary>An answer a Graph simulator sends: status, body, content type, extra headers and an optional delay before answering.</summary>
internal sealed record SimulatedReply(int Status, string Body, string ContentType)
{
    public List<(string Name, string Value)> Headers { get; init; } = [];

    public TimeSpan Delay { get; init; }
}

/// <summary>
/// The Graph wire format both Meta simulators (Facebook and Instagram) speak: error bodies, <c>{"success":true}</c>,
/// cursor paging with absolute <c>next</c> links, Graph times and where the token travels.
/// </summary>
internal static class GraphWire
{
    /// <summary>One page of results in key order, with Graph's cursors and an absolute <c>next</c> link while more remain.</summary>
    public static SimulatedReply Paged<T>(HttpRequest request, IEnumerable<((long Time, long Sequence) Key, T Item)> items, bool descending, int defaultLimit, int maxLimit, Func<T, JsonObject> render)
    {
        var limit = int.TryParse(request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked) ? Math.Clamp(asked, 1, maxLimit) : defaultLimit;
        var ordered = descending ? items.OrderByDescending(i => i.Key) : items.OrderBy(i => i.Key);
        IEnumerable<((long Time, long Sequence) Key, T Item)> rest = ordered;
        if (DecodeCursor(request.Query["after"]) is { } after)
        {
            rest = ordered.Where(i => descending ? i.Key.CompareTo(after) < 0 : i.Key.CompareTo(after) > 0);
        }

        var window = rest.Take(limit + 1).ToList();
        var page = window.Take(limit).ToList();
        var data = new JsonArray([.. page.Select(i => (JsonNode)render(i.Item))]);
        var body = new JsonObject { ["data"] = data };
        if (page.Count > 0)
        {
            var paging = new JsonObject
            {
                ["cursors"] = new JsonObject { ["before"] = EncodeCursor(page[0].Key), ["after"] = EncodeCursor(page[^1].Key) },
            };
            if (window.Count > limit)
            {
                paging["next"] = NextLink(request, EncodeCursor(page[^1].Key));
            }

            body["paging"] = paging;
        }

        return new SimulatedReply(200, body.ToJsonString(), "application/json; charset=UTF-8");
    }

    public static string NextLink(HttpRequest request, string after)
    {
        var query = request.Query.Where(q => q.Key != "after").Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString())).Append(new("after", after));
        return QueryHelpers.AddQueryString($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", query);
    }

    public static string EncodeCursor((long Time, long Sequence) key) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key.Time}:{key.Sequence}")));

    public static (long Time, long Sequence)? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(cursor)).Split(':');
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static string? TokenOf(HttpRequest request, IFormCollection? form)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var token = request.Query["access_token"].ToString();
        if (token.Length == 0 && form is not null)
        {
            token = form["access_token"].ToString();
        }

        return token.Length == 0 ? null : token;
    }

    public static string GraphTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";

    public static SimulatedReply Success() => new(200, """{"success":true}""", "application/json; charset=UTF-8");

    public static SimulatedReply NotFound(string objectId) => GraphError(
        400,
        100,
        33,
        $"Unsupported request. Object with ID '{objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.");

    public static SimulatedReply GraphError(int status, int code, int? subcode, string message, List<(string, string)>? headers = null)
    {
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = code is 1 or 2 ? "GraphMethodException" : "OAuthException",
            ["code"] = code,
        };
        if (subcode is { } sub)
        {
            error["error_subcode"] = sub;
        }

        error["fbtrace_id"] = "Asim" + Guid.NewGuid().ToString("N")[..16];
        return new SimulatedReply(status, new JsonObject { ["error"] = error }.ToJsonString(), "application/json; charset=UTF-8") { Headers = headers ?? [] };
    }

    public static DateTimeOffset SinceOf(HttpRequest request) =>
        long.TryParse(request.Query["since"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
}
