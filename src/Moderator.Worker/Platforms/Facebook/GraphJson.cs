using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moderator.Worker.Platforms.Facebook;

/// <summary>One page of a Graph edge: <c>{"data":[…],"paging":{"cursors":{…},"next":…}}</c>.</summary>
public sealed record GraphList<T>(IReadOnlyList<T>? Data = null, GraphPaging? Paging = null);

public sealed record GraphPaging(GraphCursors? Cursors = null, Uri? Next = null, Uri? Previous = null);

public sealed record GraphCursors(string? Before = null, string? After = null);

/// <summary>A Page post as listed by <c>/{page-id}/published_posts</c>.</summary>
public sealed record GraphPost(
    string Id,
    [property: JsonConverter(typeof(GraphTimeConverter))] DateTimeOffset CreatedTime,
    [property: JsonConverter(typeof(GraphNullableTimeConverter))] DateTimeOffset? UpdatedTime = null,
    Uri? PermalinkUrl = null);

/// <summary>A comment as listed by <c>/{post-id}/comments?filter=stream</c>.</summary>
public sealed record GraphComment(
    string Id,
    [property: JsonConverter(typeof(GraphTimeConverter))] DateTimeOffset CreatedTime,
    string? Message = null,
    GraphAuthor? From = null,
    GraphObjectRef? Parent = null,
    bool IsHidden = false,
    Uri? PermalinkUrl = null)
{
    public override string ToString() => $"comment {Id}";
}

public sealed record GraphAuthor(string? Id = null, string? Name = null)
{
    public override string ToString() => $"author {Id}";
}

public sealed record GraphObjectRef(string Id);

public sealed record GraphSuccess(bool Success);

/// <summary><c>{"error":{"message","type","code","error_subcode","is_transient","fbtrace_id"}}</c>.</summary>
public sealed record GraphErrorEnvelope(GraphError? Error = null);

public sealed record GraphError(string? Message = null, string? Type = null, int? Code = null, int? ErrorSubcode = null, bool? IsTransient = null, string? FbtraceId = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(GraphList<GraphPost>))]
[JsonSerializable(typeof(GraphList<GraphComment>))]
[JsonSerializable(typeof(GraphComment))]
[JsonSerializable(typeof(GraphSuccess))]
[JsonSerializable(typeof(GraphErrorEnvelope))]
internal sealed partial class GraphJsonContext : JsonSerializerContext;

/// <summary>Graph writes times as ISO-8601 with a colon-less offset (<c>2026-11-22T00:27:20+0000</c>).</summary>
public sealed class GraphTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }

    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";

    internal static DateTimeOffset Parse(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64());
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Expected a Graph time string.");
        }

        var text = reader.GetString()!;
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit))
        {
            text = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new JsonException("Unreadable Graph time.");
    }
}

public sealed class GraphNullableTimeConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : GraphTimeConverter.Parse(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } time)
        {
            writer.WriteStringValue(GraphTimeConverter.Format(time));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
