using System.Net;
using Moderator.Core;
using Moderator.Core.Platforms;
using Moderator.Worker.Platforms.Facebook;

namespace Moderator.Worker.Tests.Platforms;

public sealed class GraphErrorMapperTests
{
    [Theory]
    [InlineData(400, 4, null, PlatformErrorKind.RateLimited)]
    [InlineData(400, 17, null, PlatformErrorKind.RateLimited)]
    [InlineData(400, 32, null, PlatformErrorKind.RateLimited)]
    [InlineData(403, 613, null, PlatformErrorKind.RateLimited)]
    [InlineData(400, 80001, null, PlatformErrorKind.RateLimited)]
    [InlineData(400, 368, null, PlatformErrorKind.RateLimited)]
    [InlineData(400, 190, 463, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(401, 190, 460, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(403, 10, null, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(403, 200, null, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(403, 299, null, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(500, 1, null, PlatformErrorKind.Transient)]
    [InlineData(400, 2, null, PlatformErrorKind.Transient)]
    [InlineData(400, 100, 33, PlatformErrorKind.NotFound)]
    [InlineData(400, 100, null, PlatformErrorKind.BadRequest)]
    [InlineData(400, 300, null, PlatformErrorKind.BadRequest)]
    public void Graph_error_codes_map_to_the_kind_the_caller_acts_on(int status, int code, int? subcode, PlatformErrorKind expected)
    {
        var kind = GraphErrorMapper.Classify((HttpStatusCode)status, new GraphError("msg", "OAuthException", code, subcode));

        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(429, PlatformErrorKind.RateLimited)]
    [InlineData(500, PlatformErrorKind.Transient)]
    [InlineData(502, PlatformErrorKind.Transient)]
    [InlineData(503, PlatformErrorKind.Transient)]
    [InlineData(404, PlatformErrorKind.NotFound)]
    [InlineData(401, PlatformErrorKind.AuthorizationFailed)]
    [InlineData(400, PlatformErrorKind.BadRequest)]
    public void Without_a_graph_body_the_status_decides(int status, PlatformErrorKind expected)
    {
        Assert.Equal(expected, GraphErrorMapper.Classify((HttpStatusCode)status, null));
    }

    [Fact]
    public void An_error_flagged_transient_is_transient_whatever_its_code()
    {
        Assert.Equal(PlatformErrorKind.Transient, GraphErrorMapper.Classify(HttpStatusCode.BadRequest, new GraphError(Code: 9007, IsTransient: true)));
    }
}
