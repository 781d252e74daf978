using System.Text.Json.Serialization;
using Moderator.Worker.Platforms.Facebook;

namespace Moderator.Worker.Platforms.Instagram;

/// <summary>A media object as listed by <c>/{ig-user-id}/media</c> (newest first).</summary>
public sealed record InstagramMedia(
    string Id,
    [property: JsonConverter(typeof(GraphTimeConverter))] DateTimeOffset Timestamp,
    string? Caption = null,
    string? MediaType = null,
    string? MediaProductType = null,
    Uri? Permalink = null,
    int CommentsCount = 0)
{
    public override string ToString() => $"media {Id}";
}

/// <summary>
/// A comment as listed by <c>/{ig-media-id}/comments</c> (top level, with the <c>replies</c> edge expanded) or
/// <c>/{ig-comment-id}/replies</c>. <see cref="Text"/> and <see cref="Username"/> are personal data: never log them.
/// </summary>
public sealed record InstagramComment(
    string Id,
    [property: JsonConverter(typeof(GraphTimeConverter))] DateTimeOffset Timestamp,
    string? Text = null,
    string? Username = null,
    bool Hidden = false,
    int LikeCount = 0,
    InstagramUser? From = null,
    string? ParentId = null,
    GraphList<InstagramComment>? Replies = null,
    InstagramMediaRef? Media = null)
{
    public override string ToString() => $"comment {Id}";
}

public sealed record InstagramUser(string? Id = null, string? Username = null)
{
    public override string ToString() => $"user {Id}";
}

public sealed record InstagramMediaRef(string Id, string? MediaProductType = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(GraphList<InstagramMedia>))]
[JsonSerializable(typeof(GraphList<InstagramComment>))]
[JsonSerializable(typeof(InstagramComment))]
[JsonSerializable(typeof(GraphSuccess))]
[JsonSerializable(typeof(InstagramCursorDocument))]
internal sealed partial class InstagramJsonContext : JsonSerializerContext;
