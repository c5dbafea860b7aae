using System.Net;
using System.Text.Json.Nodes;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Lameduck.Cli.Tests.Verify.Command;

/// <summary>
/// <c>lameduck verify</c> from its command line against real Kestrel targets: https (TLS validated the normal
/// way, against a CA the process trusts), <c>--http2</c> on h2c and over TLS, and IPv6 loopback targets on both
/// of verify's paths (its own HTTP/1.1 engine for <c>http://</c>, SocketsHttpHandler for https).
/// </summary>
[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public sealed class TransportTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TestCertificates _certificates = TestCertificates.Create();

    /// <summary>verify as a real process that trusts the test CA (SSL_CERT_FILE is read by .NET's OpenSSL-backed store at start).</summary>
    private async Task<(int ExitCode, JsonObject Json, string Stderr)> VerifyTrustingTheCaAsync(params string[] args)
    {
        using var child = ChildProcess.StartLameduck(new Dictionary<string, string> { ["SSL_CERT_FILE"] = _certificates.WriteAuthorityPem(_dir.Path) },
            ["verify", .. args, "--output", "json"]);
        var code = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, JsonNode.Parse(child.Stdout)!.AsObject(), child.Stderr);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Https_target_with_a_trusted_certificate_gets_every_request_over_tls(string address)
    {
        await using var target = await KestrelTarget.StartAsync(IPAddress.Parse(address), _certificates.Server, HttpProtocols.Http1);

        var (code, json, stderr) = await VerifyTrustingTheCaAsync(target.Url.ToString(), "--rate", "100", "--duration", "1s");

        Assert.True(code == 0, stderr);
        Assert.Equal(100, (long)json["requests"]!);
        Assert.Equal(100, (long)json["status_codes"]!["200"]!);
        Assert.Equal(0, (long)json["errors"]!);
        Assert.Equal(100, target.Count("https"));
        Assert.Equal(100, target.Count("HTTP/1.1"));
        Assert.Equal(100, target.Count(address == "::1" ? "ipv6" : "ipv4"));
    }

    [Fact]
    public async Task Https_target_whose_certificate_is_not_trusted_fails_every_request_without_a_stack_trace()
    {
        await using var target = await KestrelTarget.StartAsync(IPAddress.Loopback, _certificates.Server, HttpProtocols.Http1);

        var outcome = await CliRunner.RunAsync("verify", target.Url.ToString(), "--rate", "20", "--duration", "0.5s", "--output", "json");

        Assert.Equal(1, outcome.ExitCode); // --max-errors 0 exceeded
        var json = JsonNode.Parse(outcome.Stdout)!;
        Assert.Equal(10, (long)json["requests"]!);
        Assert.Equal(10, (long)json["errors"]!);
        Assert.Equal(10, (long)json["error_set"]!["other"]!); // TLS failures are class "other" (docs/verify.md)
        Assert.Equal(0, target.Count("all"));                 // no request got past the handshake
        Assert.DoesNotContain("   at ", outcome.Stderr);
    }

    [Fact]
    public async Task Http2_flag_on_the_command_line_sends_every_request_over_h2c()
    {
        await using var target = await KestrelTarget.StartAsync(IPAddress.Loopback, protocols: HttpProtocols.Http2);

        var outcome = await CliRunner.RunAsync("verify", target.Url.ToString(), "--http2", "--rate", "100", "--duration", "1s", "--output", "json");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        var json = JsonNode.Parse(outcome.Stdout)!;
        Assert.Equal(100, (long)json["status_codes"]!["200"]!);
        Assert.Equal(100, target.Count("HTTP/2"));
        Assert.Equal(0, target.Count("HTTP/1.1"));
        Assert.Null(json["retries"]); // not measurable on HTTP/2: null, not 0
    }

    [Fact]
    public async Task Http2_flag_over_tls_negotiates_h2_by_alpn()
    {
        await using var target = await KestrelTarget.StartAsync(IPAddress.Loopback, _certificates.Server, HttpProtocols.Http1AndHttp2);

        var (code, json, stderr) = await VerifyTrustingTheCaAsync(target.Url.ToString(), "--http2", "--rate", "100", "--duration", "1s");

        Assert.True(code == 0, stderr);
        Assert.Equal(100, (long)json["status_codes"]!["200"]!);
        Assert.Equal(100, target.Count("HTTP/2"));
        Assert.Equal(100, target.Count("https"));
    }

    [Fact]
    public async Task Plain_http_to_an_ipv6_loopback_target_goes_through_verifys_own_engine_with_exact_counts()
    {
        await using var target = await KestrelTarget.StartAsync(IPAddress.IPv6Loopback, protocols: HttpProtocols.Http1);

        var outcome = await CliRunner.RunAsync("verify", target.Url.ToString(), "--rate", "200", "--duration", "1s", "--output", "json");

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        var json = JsonNode.Parse(outcome.Stdout)!;
        Assert.Equal(200, (long)json["status_codes"]!["200"]!);
        Assert.Equal(200, target.Count("ipv6"));
        Assert.Equal(200, target.Count("all"));
        // The run above went through verify's own epoll engine (the one with a hand-written address resolution),
        // not SocketsHttpHandler: that is the path whose IPv6 handling this test is about.
        Assert.True(Lameduck.Cli.Verify.Attack.Http1.Http1Engine.Supports(new Lameduck.Cli.Verify.Attack.LoadOptions { Target = target.Url }));
    }

    public void Dispose()
    {
        _certificates.Dispose();
        _dir.Dispose();
    }
}
