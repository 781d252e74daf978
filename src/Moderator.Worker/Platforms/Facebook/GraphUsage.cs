using System.Net.Http.Headers;
using System.Text.Json;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>
/// The highest usage Facebook reported in one response across <c>X-Business-Use-Case-Usage</c>, <c>X-App-Usage</c> and
/// <c>X-Page-Usage</c> (percentages of the budget; 100 = throttled) and the time it says access returns.
/// </summary>
public sealed record GraphUsage(int CallCountPercent, int TotalCpuTimePercent, int TotalTimePercent, TimeSpan RegainAccessIn)
{
    public const string BusinessUseCaseHeader = "X-Business-Use-Case-Usage";
    public const string AppHeader = "X-App-Usage";
    public const string PageHeader = "X-Page-Usage";

    public int HighestPercent => Math.Max(CallCountPercent, Math.Max(TotalCpuTimePercent, TotalTimePercent));

    /// <summary>Reads the usage headers of a response; null when it carried none that could be read.</summary>
    public static GraphUsage? FromHeaders(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        GraphUsage? usage = null;
        foreach (var value in Values(headers, BusinessUseCaseHeader))
        {
            usage = Max(usage, ParseBusinessUseCase(value));
        }

        foreach (var value in Values(headers, AppHeader).Concat(Values(headers, PageHeader)))
        {
            usage = Max(usage, ParseFlat(value));
        }

        return usage;
    }

    private static IEnumerable<string> Values(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values : [];

    private static GraphUsage? Max(GraphUsage? a, GraphUsage? b) =>
        a is null ? b
        : b is null ? a
        : new GraphUsage(
            Math.Max(a.CallCountPercent, b.CallCountPercent),
            Math.Max(a.TotalCpuTimePercent, b.TotalCpuTimePercent),
            Math.Max(a.TotalTimePercent, b.TotalTimePercent),
            a.RegainAccessIn > b.RegainAccessIn ? a.RegainAccessIn : b.RegainAccessIn);

    /// <summary><c>{"&lt;id&gt;":[{"type":"pages","call_count":N,"total_cputime":N,"total_time":N,"estimated_time_to_regain_access":minutes}]}</c>.</summary>
    private static GraphUsage? ParseBusinessUseCase(string header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            GraphUsage? usage = null;
            foreach (var business in document.RootElement.EnumerateObject())
            {
                if (business.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var entry in business.Value.EnumerateArray())
                {
                    usage = Max(usage, FromObject(entry));
                }
            }

            return usage;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GraphUsage? ParseFlat(string header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            return FromObject(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static GraphUsage? FromObject(JsonElement element) =>
        element.ValueKind != JsonValueKind.Object
            ? null
            : new GraphUsage(
                Number(element, "call_count"),
                Number(element, "total_cputime"),
                Number(element, "total_time"),
                TimeSpan.FromMinutes(Number(element, "estimated_time_to_regain_access")));

    private static int Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number)
            ? (int)Math.Clamp(Math.Ceiling(number), 0, 10_000)
            : 0;
}
