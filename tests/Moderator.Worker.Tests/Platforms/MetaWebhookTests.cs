using System.Text;
using Moderator.Core;
using Moderator.Core.Platforms;

namespace Moderator.Worker.Tests.Platforms;

public sealed class MetaWebhookTests
{
    private const string AppSecret = "app-secret-for-tests";
    private const string VerifyToken = "oakfield-verify-token";

    private static readonly byte[] CommentDelivery = Encoding.UTF8.GetBytes("""
        {"object":"page","entry":[{"id":"100000000000001","time":1763770000,"changes":[
          {"field":"feed","value":{"item":"comment","verb":"add","comment_id":"12_34","post_id":"100000000000001_12","parent_id":"100000000000001_12","from":{"id":"42","name":"A Parent"},"message":"hello","created_time":1763770000}},
          {"field":"feed","value":{"item":"reaction","verb":"add","post_id":"100000000000001_12","reaction_type":"like"}},
          {"field":"feed","value":{"item":"comment","verb":"edited","comment_id":"12_35","post_id":"100000000000001_12","parent_id":"12_34"}}
        ]},{"id":100000000000002,"time":1763770001,"changes":[
          {"field":"feed","value":{"item":"comment","verb":"remove","comment_id":"56_78","post_id":"100000000000002_56"}}
        ]}]}
        """);

    [Fact]
    public void Handshake_with_the_right_token_echoes_the_challenge()
    {
        var result = MetaWebhook.Verify("subscribe", VerifyToken, "1158201444", VerifyToken);

        Assert.True(result.Accepted);
        Assert.Equal("1158201444", result.Challenge);
    }

    [Theory]
    [InlineData("subscribe", "wrong-token", "123")]
    [InlineData("subscribe", "oakfield-verify-toke", "123")]
    [InlineData("unsubscribe", VerifyToken, "123")]
    [InlineData("subscribe", null, "123")]
    [InlineData("subscribe", VerifyToken, "")]
    [InlineData(null, VerifyToken, "123")]
    public void Handshake_with_a_wrong_token_mode_or_no_challenge_is_refused(string? mode, string? token, string? challenge)
    {
        var result = MetaWebhook.Verify(mode, token, challenge, VerifyToken);

        Assert.False(result.Accepted);
        Assert.Null(result.Challenge);
    }

    [Fact]
    public void A_correctly_signed_delivery_yields_its_comment_changes_only()
    {
        var delivery = MetaWebhook.Receive(CommentDelivery, MetaWebhook.Sign(CommentDelivery, AppSecret), AppSecret);

        Assert.Equal(MetaWebhookStatus.Accepted, delivery.Status);
        Assert.Equal(
            [
                new MetaCommentChange("100000000000001", "12_34", "100000000000001_12", "100000000000001_12", "add"),
                new MetaCommentChange("100000000000001", "12_35", "100000000000001_12", "12_34", "edited"),
                new MetaCommentChange("100000000000002", "56_78", "100000000000002_56", null, "remove"),
            ],
            delivery.CommentChanges);
    }

    [Fact]
    public void Signature_header_matches_the_hex_hmac_sha256_of_the_raw_body()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"page","entry":[]}""");
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(AppSecret));
        var expected = "sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(body));

        Assert.Equal(expected, MetaWebhook.Sign(body, AppSecret));
        Assert.True(MetaWebhook.IsSignatureValid(body, expected.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), AppSecret));
    }

    [Fact]
    public void A_body_changed_after_signing_is_rejected()
    {
        var signature = MetaWebhook.Sign(CommentDelivery, AppSecret);
        var tampered = (byte[])CommentDelivery.Clone();
        tampered[^5] ^= 0x01;

        var delivery = MetaWebhook.Receive(tampered, signature, AppSecret);

        Assert.Equal(MetaWebhookStatus.BadSignature, delivery.Status);
        Assert.Empty(delivery.CommentChanges);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Missing_foreign_or_wrong_signatures_are_rejected(string? header)
    {
        Assert.Equal(MetaWebhookStatus.BadSignature, MetaWebhook.Receive(CommentDelivery, header, AppSecret).Status);
    }

    [Fact]
    public void A_delivery_signed_with_another_secret_is_rejected()
    {
        Assert.False(MetaWebhook.IsSignatureValid(CommentDelivery, MetaWebhook.Sign(CommentDelivery, "someone-elses-secret"), AppSecret));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"entry":[]}""")]
    public void A_signed_body_that_is_not_a_change_notification_is_malformed(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);

        Assert.Equal(MetaWebhookStatus.Malformed, MetaWebhook.Receive(body, MetaWebhook.Sign(body, AppSecret), AppSecret).Status);
    }

    [Fact]
    public void Deliveries_for_other_objects_carry_no_comment_changes()
    {
        var body = Encoding.UTF8.GetBytes("""{"object":"user","entry":[{"id":"1","changes":[{"field":"comments","value":{"id":"9"}}]}]}""");

        var delivery = MetaWebhook.Receive(body, MetaWebhook.Sign(body, AppSecret), AppSecret);

        Assert.Equal(MetaWebhookStatus.Accepted, delivery.Status);
        Assert.Empty(delivery.CommentChanges);
    }
}
