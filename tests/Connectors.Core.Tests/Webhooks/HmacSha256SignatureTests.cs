using System.Text;
using Connectors.Core.Webhooks;

namespace Connectors.Core.Tests.Webhooks;

public sealed class HmacSha256SignatureTests
{
    // The vector from the function app's issue: secret test-secret over this body.
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":123,"email":"jane@example.com"}""");
    private const string Known = "bXcNEfIfV+zunWaWSCXt0gsM8Q0sFfB1PHTCdyz2NHw=";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sign_KnownVector() => Assert.Equal(Known, HmacSha256Signature.Sign(Body, Encoding.UTF8.GetBytes("test-secret")));

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("  ", SignatureCheck.Missing)]
    [InlineData("not base64!", SignatureCheck.Malformed)]
    [InlineData("c2hvcnQ=", SignatureCheck.Malformed)]
    [InlineData(" " + Known + " ", SignatureCheck.Valid)]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", SignatureCheck.Mismatch)]
    public void Check_CurrentSecret(string? presented, SignatureCheck expected) =>
        Assert.Equal(expected, HmacSha256Signature.Check(Body, presented, new WebhookSecrets("test-secret"), Now));

    [Fact]
    public void Check_PreviousSecret_PassesUntilItsWindowEnds_AndNotAfter()
    {
        var secrets = new WebhookSecrets("new-secret", previous: "test-secret", previousValidUntil: Now.AddHours(1));

        Assert.Equal(SignatureCheck.ValidWithPrevious, HmacSha256Signature.Check(Body, Known, secrets, Now));
        Assert.Equal(SignatureCheck.PreviousExpired, HmacSha256Signature.Check(Body, Known, secrets, Now.AddHours(1)));
        Assert.Equal("The delivery is signed with the previous secret, whose rotation window has ended.",
            HmacSha256Signature.Reason(SignatureCheck.PreviousExpired, "X-Signature"));
    }

    [Fact]
    public void Check_KeyOf_TurnsTheSecretIntoTheKey()
    {
        var secrets = new WebhookSecrets("TEST-SECRET");

        Assert.Equal(SignatureCheck.Mismatch, HmacSha256Signature.Check(Body, Known, secrets, Now));
        Assert.Equal(SignatureCheck.Valid, HmacSha256Signature.Check(Body, Known, secrets, Now, s => Encoding.UTF8.GetBytes(s.ToLowerInvariant())));
    }

    [Fact]
    public void Secrets_PreviousWithoutAnEnd_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new WebhookSecrets("a", previous: "b"));
}
