using Microsoft.Extensions.Options;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Core.Workflow;

namespace Moderator.Admin.Webhooks;

/// <summary>Meta's webhook settings ("Meta" section). Without both values the endpoint answers 404.</summary>
public sealed class MetaWebhookOptions
{
    public const string SectionName = "Meta";

    /// <summary>The app secret that signs deliveries (X-Hub-Signature-256).</summary>
    public string? AppSecret { get; set; }

    /// <summary>The verify token typed into the App Dashboard for the subscription handshake.</summary>
    public string? VerifyToken { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(AppSecret) && !string.IsNullOrEmpty(VerifyToken);
}

/// <summary>
/// Meta (Facebook Pages) webhooks: the subscription handshake and signed change deliveries. A delivery only asks the
/// worker to poll the page now; the poll stays the source of truth, so nothing in the body is stored.
/// </summary>
public static partial class MetaWebhookEndpoints
{
    public const string Path = "/webhooks/meta";

    /// <summary>Deliveries are small; Meta batches at most 1,000 changes.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    public static IServiceCollection AddMetaWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetaWebhookOptions>().Bind(configuration.GetSection(MetaWebhookOptions.SectionName));
        return services;
    }

    public static IEndpointRouteBuilder MapMetaWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Path).AllowAnonymous().DisableAntiforgery();
        group.MapGet(string.Empty, (HttpRequest request, IOptions<MetaWebhookOptions> options) =>
        {
            if (!options.Value.IsConfigured)
            {
                return Results.NotFound();
            }

            var answer = MetaWebhook.Verify(request.Query["hub.mode"], request.Query["hub.verify_token"], request.Query["hub.challenge"], options.Value.VerifyToken!);
            return answer.Accepted ? Results.Text(answer.Challenge, "text/plain") : Results.StatusCode(StatusCodes.Status403Forbidden);
        });
        group.MapPost(string.Empty, async (HttpRequest request, IOptions<MetaWebhookOptions> options, Organisation organisation, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (!options.Value.IsConfigured)
            {
                return Results.NotFound();
            }

            var logger = loggers.CreateLogger(typeof(MetaWebhookEndpoints));
            var body = await ReadBodyAsync(request, ct);
            if (body is null)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            var delivery = MetaWebhook.Receive(body, request.Headers[MetaWebhook.SignatureHeader], options.Value.AppSecret!);
            switch (delivery.Status)
            {
                case MetaWebhookStatus.BadSignature:
                    LogRejected(logger, request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                    return Results.Unauthorized();
                case MetaWebhookStatus.Malformed:
                    return Results.BadRequest();
            }

            foreach (var pageExternalId in delivery.CommentChanges.Select(c => c.PageId).Distinct(StringComparer.Ordinal))
            {
                if (await organisation.FindPageIdAsync(Platform.Facebook, pageExternalId, ct) is { } pageId)
                {
                    await organisation.RequestPollAsync(pageId, ct);
                    LogPollRequested(logger, pageId, delivery.CommentChanges.Count);
                }
            }

            return Results.Ok();
        });
        return endpoints;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), ct);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Rejected a Meta webhook delivery with a missing or wrong signature from {RemoteAddress}")]
    private static partial void LogRejected(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Meta webhook: {Changes} comment change(s); page {PageId} will be polled now")]
    private static partial void LogPollRequested(ILogger logger, Guid pageId, int changes);
}
