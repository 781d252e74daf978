using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Infrastructure;

/// <summary>
/// Turns the workflow's refusals into answers: not allowed → 403, no such thing → 404, an illegal move or a stale
/// form → back to the same page (GET) with the reason shown, so a POST never ends in an error page.
/// </summary>
public sealed partial class WorkflowExceptionFilter(ITempDataDictionaryFactory tempData, ILogger<WorkflowExceptionFilter> logger) : IAsyncPageFilter
{
    public const string ErrorKey = "Error";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var executed = await next();
        switch (executed.Exception)
        {
            case null:
                return;
            case WorkflowForbiddenException:
                LogRefused(logger, context.ActionDescriptor.ViewEnginePath, "forbidden");
                executed.Result = new ForbidResult();
                break;
            case WorkflowNotFoundException:
                executed.Result = new NotFoundResult();
                break;
            case WorkflowRuleException or WorkflowConcurrencyException when HttpMethods.IsPost(context.HttpContext.Request.Method):
                LogRefused(logger, context.ActionDescriptor.ViewEnginePath, executed.Exception is WorkflowRuleException ? "rule" : "concurrency");
                tempData.GetTempData(context.HttpContext)[ErrorKey] = executed.Exception.Message;
                executed.Result = new RedirectResult(SamePageUrl(context.HttpContext.Request));
                break;
            default:
                return;
        }

        executed.ExceptionHandled = true;
    }

    /// <summary>The page's own address for a GET: the POST's query without its handler name.</summary>
    private static string SamePageUrl(HttpRequest request)
    {
        var query = request.Query.Where(q => !string.Equals(q.Key, "handler", StringComparison.OrdinalIgnoreCase)).ToList();
        return query.Count == 0
            ? request.PathBase + request.Path
            : request.PathBase + request.Path + QueryString.Create(query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Request to page {Page} refused by the workflow ({Reason})")]
    private static partial void LogRefused(ILogger logger, string page, string reason);
}
