using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>
/// The request pipeline every Graph client shares (Facebook Pages and Instagram with Facebook Login use the same host,
/// error bodies and usage headers): waits on the <see cref="GraphRateGate"/>, sends with the page token in the
/// Authorization header, feeds usage headers back to the gate, and turns every failure (timeout, lost connection,
/// error status, unreadable body) into a <see cref="PlatformException"/> of the gate's platform.
/// </summary>
public sealed class GraphTransport(HttpClient http, GraphRateGate gate, ILogger logger)
{
    /// <summary>Guards against a server that hands out <c>next</c> links forever.</summary>
    public const int MaxPagesPerListing = 500;

    public async Task<T> SendAsync<T>(
        PageAccess page,
        string operation,
        string objectId,
        Func<HttpRequestMessage> createRequest,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken)
    {
        var pageId = page.PageExternalId;
        await gate.WaitAsync(pageId, cancellationToken);
        using var request = createRequest();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", page.AccessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "timed out", null, null, null, null, exception);
        }
        catch (HttpRequestException exception)
        {
            throw Failed(operation, objectId, PlatformErrorKind.Transient, "could not be sent", null, null, null, null, exception);
        }

        using (response)
        {
            var usage = GraphUsage.FromHeaders(response.Headers);
            gate.Observe(pageId, usage);
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorOfAsync(response, usage, pageId, operation, objectId, cancellationToken);
            }

            T? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(type, cancellationToken);
            }
            catch (JsonException exception)
            {
                throw Failed(operation, objectId, PlatformErrorKind.Malformed, "returned unreadable JSON", (int)response.StatusCode, null, null, null, exception);
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failed(operation, objectId, PlatformErrorKind.Transient, "timed out reading the response", (int)response.StatusCode, null, null, null, exception);
            }
            catch (HttpRequestException exception)
            {
                throw Failed(operation, objectId, PlatformErrorKind.Transient, "lost the response", (int)response.StatusCode, null, null, null, exception);
            }

            if (body is null)
            {
                throw Failed(operation, objectId, PlatformErrorKind.Malformed, "returned an empty body", (int)response.StatusCode, null, null, null, null);
            }

            gate.RecordSuccess(pageId);
            return body;
        }
    }

    private async Task<PlatformException> ErrorOfAsync(
        HttpResponseMessage response,
        GraphUsage? usage,
        string pageId,
        string operation,
        string objectId,
        CancellationToken cancellationToken)
    {
        GraphError? error = null;
        try
        {
            var envelope = await response.Content.ReadFromJsonAsync(GraphJsonContext.Default.GraphErrorEnvelope, cancellationToken);
            error = envelope?.Error;
        }
        catch (JsonException)
        {
            // Not a Graph error body (a proxy's HTML page, an empty 503): classify by status alone.
        }
        catch (HttpRequestException)
        {
            // The error body was lost; the status still says enough.
        }

        var kind = GraphErrorMapper.Classify(response.StatusCode, error);
        TimeSpan? retryAfter = null;
        if (kind == PlatformErrorKind.RateLimited)
        {
            var hint = RetryAfterOf(response) ?? (usage?.RegainAccessIn > TimeSpan.Zero ? usage.RegainAccessIn : null);
            retryAfter = gate.RecordRateLimited(pageId, hint);
            GraphLog.RateLimited(logger, gate.Platform, pageId, error?.Code, retryAfter.Value);
        }

        return Failed(operation, objectId, kind, "was refused", (int)response.StatusCode, error?.Code, error?.ErrorSubcode, retryAfter, null);
    }

    public PlatformException Failed(
        string operation,
        string objectId,
        PlatformErrorKind kind,
        string what,
        int? status,
        int? code,
        int? subcode,
        TimeSpan? retryAfter,
        Exception? inner)
    {
        GraphLog.CallFailed(logger, gate.Platform, operation, objectId, kind, status, code, subcode);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{gate.Platform} {operation} for {objectId} {what} ({kind}; HTTP {status?.ToString(CultureInfo.InvariantCulture) ?? "none"}; code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}; subcode {subcode?.ToString(CultureInfo.InvariantCulture) ?? "none"}).");
        return new PlatformException(gate.Platform, kind, message, status, code, subcode, retryAfter, inner);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta && delta > TimeSpan.Zero)
        {
            return delta;
        }

        return header?.Date is { } date && response.Headers.Date is { } sent && date > sent ? date - sent : null;
    }

    public void EnsureSucceeded(GraphSuccess result, string operation, string objectId)
    {
        if (!result.Success)
        {
            throw Failed(operation, objectId, PlatformErrorKind.BadRequest, "answered success=false", 200, null, null, null, null);
        }
    }

    public IReadOnlyList<T> DataOf<T>(GraphList<T> list, string objectId) =>
        list.Data ?? throw Failed("list", objectId, PlatformErrorKind.Malformed, "returned no data array", 200, null, null, null, null);

    /// <summary>The <c>paging.next</c> link, only if it points at the configured Graph host (the token must not travel elsewhere).</summary>
    public Uri? NextOf(GraphPaging? paging, string objectId)
    {
        if (paging?.Next is not { } next)
        {
            return null;
        }

        var root = http.BaseAddress;
        if (!next.IsAbsoluteUri || root is null || Uri.Compare(next, root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw Failed("list", objectId, PlatformErrorKind.Malformed, "returned a next link to another host", 200, null, null, null, null);
        }

        return next;
    }

    public void GuardPageCount(int pages, string objectId)
    {
        if (pages >= MaxPagesPerListing)
        {
            throw Failed("list", objectId, PlatformErrorKind.Malformed, "kept returning next links", 200, null, null, null, null);
        }
    }

    public static Uri Relative(string pathAndQuery) => new(pathAndQuery, UriKind.Relative);

    public static string Escape(string value) => Uri.EscapeDataString(value);
}
