using System.Text.Json.Serialization;

namespace Moderator.Worker.Platforms.X;

/// <summary>
/// One page of recent search: <c>{"data":[…],"includes":{"users":[…]},"meta":{…},"errors":[…]}</c>. <c>data</c> is
/// absent when nothing matched (<c>meta.result_count</c> = 0).
/// </summary>
public sealed record XSearchPage(
    IReadOnlyList<XPost>? Data = null,
    XIncludes? Includes = null,
    XSearchMeta? Meta = null,
    IReadOnlyList<XProblem>? Errors = null);

/// <summary>A post with the fields the connector asks for (<see cref="XApiClient.PostFields"/>).</summary>
public sealed record XPost(
    string Id,
    string? Text = null,
    string? AuthorId = null,
    string? ConversationId = null,
    string? InReplyToUserId = null,
    DateTimeOffset? CreatedAt = null,
    IReadOnlyList<XReferencedPost>? ReferencedTweets = null)
{
    public override string ToString() => $"post {Id}";
}

/// <summary>One post looked up by id: <c>{"data":{…},"includes":{…}}</c>, or only <c>errors[]</c> when it is gone.</summary>
public sealed record XPostLookup(XPost? Data = null, XIncludes? Includes = null, IReadOnlyList<XProblem>? Errors = null);

public sealed record XReferencedPost(string Type, string Id);

public sealed record XIncludes(IReadOnlyList<XUser>? Users = null);

public sealed record XUser(string Id, string? Name = null, string? Username = null)
{
    public override string ToString() => $"user {Id}";
}

public sealed record XSearchMeta(string? NewestId = null, string? OldestId = null, int ResultCount = 0, string? NextToken = null);

/// <summary>
/// A problem: the whole body of a failed call (<c>application/problem+json</c>) or one entry of a partial <c>errors[]</c>.
/// <c>type</c> is <c>https://api.x.com/2/problems/&lt;kind&gt;</c> (or <c>about:blank</c> for plain HTTP errors).
/// </summary>
public sealed record XProblem(
    string? Type = null,
    string? Title = null,
    string? Detail = null,
    int? Status = null,
    string? ResourceId = null,
    string? ResourceType = null,
    string? Parameter = null)
{
    public const string TypePrefix = "https://api.x.com/2/problems/";

    /// <summary>The last path segment of <see cref="Type"/> (e.g. <c>usage-capped</c>), or null.</summary>
    public string? Kind =>
        Type is { } type && type.StartsWith(TypePrefix, StringComparison.OrdinalIgnoreCase) ? type[TypePrefix.Length..].TrimEnd('/')
        : Type is { } legacy && legacy.StartsWith("https://api.twitter.com/2/problems/", StringComparison.OrdinalIgnoreCase) ? legacy[35..].TrimEnd('/')
        : null;
}

/// <summary>A failed call's body: a problem at the root, possibly with an <c>errors[]</c> list of further problems.</summary>
public sealed record XProblemEnvelope(
    string? Type = null,
    string? Title = null,
    string? Detail = null,
    int? Status = null,
    IReadOnlyList<XProblem>? Errors = null)
{
    public XProblem? Primary =>
        Type is not null || Title is not null ? new XProblem(Type, Title, Detail, Status)
        : Errors is { Count: > 0 } errors ? errors[0]
        : null;
}

public sealed record XHiddenRequest(bool Hidden);

public sealed record XHiddenResponse(XHiddenResult? Data = null, IReadOnlyList<XProblem>? Errors = null);

public sealed record XHiddenResult(bool Hidden);

/// <summary>The OAuth 2.0 token endpoint's answer.</summary>
public sealed record XTokenResponse(
    string? TokenType = null,
    int? ExpiresIn = null,
    string? AccessToken = null,
    string? Scope = null,
    string? RefreshToken = null)
{
    public override string ToString() => "token response";
}

/// <summary>The OAuth 2.0 token endpoint's error: <c>{"error":"invalid_grant","error_description":"…"}</c>.</summary>
public sealed record XTokenError(string? Error = null, string? ErrorDescription = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(XSearchPage))]
[JsonSerializable(typeof(XProblemEnvelope))]
[JsonSerializable(typeof(XPostLookup))]
[JsonSerializable(typeof(XHiddenRequest))]
[JsonSerializable(typeof(XHiddenResponse))]
[JsonSerializable(typeof(XTokenResponse))]
[JsonSerializable(typeof(XTokenError))]
[JsonSerializable(typeof(XCredentials))]
internal sealed partial class XJsonContext : JsonSerializerContext;
