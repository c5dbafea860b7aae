namespace Lameduck.Cli.Tests.Webhook;

/// <summary>cert-manager renews the Secret; the kubelet swaps the mounted files; the webhook serves the new certificate without a restart.</summary>
public class CertificateRotationTests
{
    [Fact]
    public async Task A_rotated_certificate_is_served_on_new_connections_without_a_restart()
    {
        await using var webhook = await WebhookHarness.StartAsync(certificateCheck: TimeSpan.FromMilliseconds(100));
        var first = webhook.Certificates.Thumbprint;
        Assert.Equal(first, await webhook.HandshakeThumbprintAsync());

        webhook.Certificates.Rotate();
        var second = webhook.Certificates.Thumbprint;
        Assert.NotEqual(first, second);

        // Checked every 100 ms: a real TLS handshake presents the new one within a few checks (10 s: a loaded machine).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string served;
        while ((served = await webhook.HandshakeThumbprintAsync()) != second && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(second, served);

        // Clients that trust the new CA admit pods through it, on the same port of the same process.
        webhook.TrustCurrentCa();
        var (status, _) = await webhook.PostAsync("/mutate", "{}"u8.ToArray());
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_half_written_pair_is_ignored_and_the_old_certificate_kept()
    {
        await using var webhook = await WebhookHarness.StartAsync(certificateCheck: TimeSpan.FromMinutes(10));
        var reloader = (Cli.Webhook.Tls.CertificateReloader)webhook.Services.GetService(typeof(Cli.Webhook.Tls.CertificateReloader))!;
        var served = webhook.Certificates.Thumbprint;
        // A key that belongs to another certificate, as between the two writes of a non-atomic update.
        var other = Path.Combine(webhook.Certificates.Path, "other");
        using (var pair = Cli.Webhook.Certificates.SelfSignedPair.Create(["x"], [], TimeSpan.FromDays(1), DateTimeOffset.UtcNow)) pair.WriteTo(other);
        var keyTarget = Path.Combine(webhook.Certificates.Path, "..data", "tls.key");
        File.Copy(Path.Combine(other, "tls.key"), keyTarget, overwrite: true);

        reloader.CheckForChange();

        Assert.Equal(served, reloader.Certificate.Thumbprint);
        Assert.Equal(served, await webhook.HandshakeThumbprintAsync());
    }
}
