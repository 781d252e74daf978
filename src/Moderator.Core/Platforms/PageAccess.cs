namespace Moderator.Core.Platforms;

/// <summary>
/// What a connector needs to act for one page: the platform's id of the page and its decrypted access token.
/// The token never appears in <see cref="ToString"/>.
/// </summary>
public sealed class PageAccess
{
    public PageAccess(string pageExternalId, string accessToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pageExternalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(accessToken);
        PageExternalId = pageExternalId;
        AccessToken = accessToken;
    }

    public string PageExternalId { get; }

    public string AccessToken { get; }

    public override string ToString() => $"page {PageExternalId}";
}
