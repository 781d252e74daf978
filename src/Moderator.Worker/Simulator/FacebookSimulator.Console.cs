using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Moderator.Worker.Simulator;

// The simulator's own pages under /_sim: what a person watching the demo sees (the school page with its comments and
// their hidden state), a form to post a comment as a visitor, counters as JSON, and faults to switch on by hand.
public sealed partial class FacebookSimulator
{
    private async Task HandleConsoleAsync(HttpContext context, string[] segments, IFormCollection? form)
    {
        var action = segments.Length > 1 ? segments[1] : string.Empty;
        var request = context.Request;
        var response = context.Response;
        if (HttpMethods.IsGet(request.Method) && action.Length == 0)
        {
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(RenderConsole(), context.RequestAborted);
        }
        else if (HttpMethods.IsGet(request.Method) && action == "state")
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(RenderState(), context.RequestAborted);
        }
        else if (HttpMethods.IsPost(request.Method) && action == "comments" && form is not null)
        {
            var postId = form["post_id"].ToString();
            var message = form["message"].ToString();
            var author = form["author"].ToString();
            try
            {
                var id = AddComment(postId, message, author.Length == 0 ? "A Visitor" : author, NullIfEmpty(form["parent_id"].ToString()));
                response.Headers.Location = $"/_sim#{id}";
                response.StatusCode = StatusCodes.Status303SeeOther;
            }
            catch (ArgumentException)
            {
                response.StatusCode = StatusCodes.Status404NotFound;
            }
        }
        else if (HttpMethods.IsPost(request.Method) && action == "faults" && form is not null
            && Enum.TryParse<SimulatedFault>(form["fault"].ToString(), ignoreCase: true, out var fault) && Enum.IsDefined(fault)
            && int.TryParse(form["count"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0)
        {
            var code = int.TryParse(form["code"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var given) ? given : 80001;
            FailNext(count, fault, code);
            response.Headers.Location = "/_sim";
            response.StatusCode = StatusCodes.Status303SeeOther;
        }
        else
        {
            response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private string RenderState()
    {
        lock (_lock)
        {
            var calls = new JsonObject();
            foreach (var (endpoint, count) in _faults.CallCounts.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                calls[endpoint] = count;
            }

            return new JsonObject
            {
                ["total_requests"] = TotalRequests,
                ["throttled_responses"] = ThrottledResponses,
                ["pending_faults"] = _faults.Pending,
                ["webhooks_delivered"] = WebhooksDelivered,
                ["webhooks_failed"] = WebhooksFailed,
                ["calls"] = calls,
                ["comments"] = _comments.Count,
                ["hidden"] = _comments.Values.Count(c => c.IsHidden && !c.IsDeleted),
                ["deleted"] = _comments.Values.Count(c => c.IsDeleted),
            }.ToJsonString();
        }
    }

    private string RenderConsole()
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
            <title>Facebook simulator</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
            .post{border:1px solid #ccc;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}
            .c{margin:.3rem 0;padding:.3rem .5rem;background:#f4f6f8;border-radius:.4rem}
            .hidden{background:#fde8e8;color:#777}.deleted{text-decoration:line-through;color:#999}
            .tag{font-size:.75rem;font-weight:bold;margin-left:.5rem}</style></head><body>
            <h1>Facebook simulator</h1><p>Refreshes every 5 seconds. Hidden comments stay visible here (as they do to page admins).</p>
            """);
        lock (_lock)
        {
            foreach (var page in _pages.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
            {
                html.Append(CultureInfo.InvariantCulture, $"<h2>{E(page.Name)} <small>({E(page.Id)}){(page.TokenExpired ? " token expired" : string.Empty)}</small></h2>");
                foreach (var post in _posts.Values.Where(p => p.PageId == page.Id).OrderByDescending(p => p.Sequence))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<div class=\"post\"><p><strong>{E(post.Message)}</strong></p>");
                    foreach (var c in _comments.Values.Where(c => c.PostId == post.Id).OrderBy(c => c.Sequence))
                    {
                        var css = c.IsDeleted ? "c deleted" : c.IsHidden ? "c hidden" : "c";
                        var state = c.IsDeleted ? "DELETED" : c.IsHidden ? "HIDDEN" : string.Empty;
                        html.Append(CultureInfo.InvariantCulture, $"<div class=\"{css}\" id=\"{E(c.Id)}\"><b>{E(c.AuthorName)}</b> {E(c.Message)}<span class=\"tag\">{state}</span></div>");
                    }

                    html.Append(CultureInfo.InvariantCulture, $"""
                        <form method="post" action="/_sim/comments"><input type="hidden" name="post_id" value="{E(post.Id)}">
                        <input name="author" placeholder="Your name" size="14"> <input name="message" placeholder="Write a comment..." size="50" required>
                        <button>Comment</button></form></div>
                        """);
                }
            }
        }

        html.Append("<p><a href=\"/_sim/state\">Counters (JSON)</a></p></body></html>");
        return html.ToString();
    }
}
