using System.Threading.Channels;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Simulator;

/// <summary>
/// Sends a simulator's Meta webhook deliveries, in order, to one callback, each signed with <c>X-Hub-Signature-256</c>
/// over the raw body with the app secret, and counts the outcomes. Shared by the Facebook and Instagram simulators.
/// Failed deliveries are counted, not retried.
/// </summary>
internal sealed class SimulatedWebhookSender : IAsyncDisposable
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Task _sender;
    private int _delivered;
    private int _failed;

    public SimulatedWebhookSender(Uri callback, string appSecret)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        _sender = SendAllAsync(callback, appSecret);
    }

    /// <summary>Deliveries the callback answered with a 2xx status.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Deliveries that failed (no answer or a non-2xx status).</summary>
    public int Failed => Volatile.Read(ref _failed);

    public void Enqueue(byte[] body) => _queue.Writer.TryWrite(body);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _sender;
        _client.Dispose();
    }

    private async Task SendAllAsync(Uri callback, string appSecret)
    {
        await foreach (var body in _queue.Reader.ReadAllAsync())
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, callback) { Content = content };
                request.Headers.TryAddWithoutValidation(MetaWebhook.SignatureHeader, MetaWebhook.Sign(body, appSecret));
                using var response = await _client.SendAsync(request);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref _delivered : ref _failed);
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref _failed);
            }
            catch (TaskCanceledException)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
