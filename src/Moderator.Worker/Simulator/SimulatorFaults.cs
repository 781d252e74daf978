namespace Moderator.Worker.Simulator;

/// <summary>
/// A simulator's switchable faults and per-endpoint call counters, shared by the four platform simulators. Faults fire
/// in the order they were asked for; one aimed at an endpoint waits for a request to it, and the faults behind it wait
/// too; <c>afterRequests</c> lets that many matching requests through first. Not thread-safe: the simulator calls it
/// under its own lock.
/// </summary>
internal sealed class SimulatorFaults<TFault>
{
    private readonly Queue<Entry> _queue = new();
    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Faults asked for that have not fired yet.</summary>
    public int Pending => _queue.Sum(f => f.Remaining);

    /// <summary>Requests that reached each endpoint, faulted ones included, by endpoint name.</summary>
    public IEnumerable<KeyValuePair<string, int>> CallCounts => _calls;

    public void Add(int count, TFault fault, int code = 0, int afterRequests = 0, string? endpoint = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(afterRequests);
        _queue.Enqueue(new Entry(fault, code) { Remaining = count, Skip = afterRequests, Endpoint = endpoint });
    }

    public int Calls(string endpoint) => _calls.GetValueOrDefault(endpoint);

    /// <summary>Counts a request that bypasses faults (token exchanges).</summary>
    public void Count(string endpoint) => _calls[endpoint] = _calls.GetValueOrDefault(endpoint) + 1;

    /// <summary>Counts a request to <paramref name="endpoint"/> and returns the fault it meets, or null to answer normally.</summary>
    public Entry? Next(string endpoint)
    {
        Count(endpoint);
        if (!_queue.TryPeek(out var fault) || (fault.Endpoint is { } only && only != endpoint))
        {
            return null;
        }

        if (fault.Skip > 0)
        {
            fault.Skip--;
            return null;
        }

        if (--fault.Remaining == 0)
        {
            _queue.Dequeue();
        }

        return fault;
    }

    /// <param name="Code">The platform's error code where the fault carries one (Graph rate-limit codes).</param>
    internal sealed record Entry(TFault Fault, int Code)
    {
        public int Skip { get; set; }

        public string? Endpoint { get; init; }

        public int Remaining { get; set; }
    }
}
