using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Lameduck.Cli.Tests.Inject;
using Lameduck.Cli.Tests.Lint;
using Lameduck.Cli.Tests.Verify.Support;

namespace Lameduck.Cli.Tests.Webhook;

/// <summary>The real <c>lameduck webhook</c> process: SIGTERM, exit codes, the <c>certs</c> command.</summary>
public partial class WebhookProcessTests
{
    [Fact]
    public async Task On_SIGTERM_readiness_fails_admissions_go_on_and_the_one_in_flight_finishes_before_a_clean_exit()
    {
        using var temp = new TempFolder();
        var (_, caBundle, _) = Tool.Run("dotnet", [Cli, "webhook", "certs", "--service", "lameduck-webhook", "--namespace", "lameduck-system", "--out", temp.Path, "--ip", "127.0.0.1"]);
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(temp.Path, "ca.crt"));
        using var webhook = ChildProcess.StartLameduck("webhook", "--listen", "https://127.0.0.1:0", "--cert", Path.Combine(temp.Path, "tls.crt"),
            "--key", Path.Combine(temp.Path, "tls.key"), "--log-format", "text", "--timeout", "8s");
        // Lameduck__Delay is read from the environment like any ASP.NET Core setting; the helper cannot set it, so the default 5 s window applies.
        var port = await ListeningPortAsync(webhook);
        using var client = Client(ca, port);
        var body = AdmissionReviews.ForPod(PodObjects.FromManifest(Manifest.Text("go-app.yaml"))["Deployment/api"]);

        // An admission in flight: headers and half the body sent before SIGTERM, the rest during the drain.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => CertificateFolder.Trusts(cert, [ca]));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        await tls.WriteAsync(body.AsMemory(0, body.Length / 2));
        await tls.FlushAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var sigterm = Stopwatch.StartNew();

        webhook.Signal("TERM");

        // Readiness fails at once (the Service stops sending new admissions here) ...
        await WaitForAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(4));
        // ... while admissions that still arrive (endpoint removal propagates) are answered, on connections told to close.
        using var lateContent = new ByteArrayContent(body);
        lateContent.Headers.ContentType = new("application/json");
        using var late = await client.PostAsync("/mutate", lateContent);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains("\"patch\"", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(late.Headers.ConnectionClose == true || late.Version.Major >= 2);
        // The one in flight completes and is answered in full.
        await tls.WriteAsync(body.AsMemory(body.Length / 2));
        await tls.FlushAsync();
        var response = await ReadAllAsync(tls).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        Assert.Contains("\"patchType\":\"JSONPatch\"", response, StringComparison.Ordinal);

        var exit = await webhook.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, exit);
        // The lame duck lasted the default 5 s window (not less: the process did not just die), then it drained and exited.
        Assert.InRange(sigterm.Elapsed, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(25));
        Assert.Contains("Lameduck", webhook.Stdout + webhook.Stderr, StringComparison.Ordinal);
        Assert.NotEmpty(Encoding.ASCII.GetString(caBundle));
    }

    [Fact]
    public void Certs_writes_a_ca_and_a_serving_pair_openssl_verifies_and_prints_the_ca_bundle()
    {
        using var temp = new TempFolder();

        var (exit, stdout, stderr) = Tool.Run("dotnet", [Cli, "webhook", "certs", "--service", "lameduck-webhook", "--namespace", "lameduck-system", "--out", temp.Path]);

        Assert.True(exit == 0, stderr);
        var caBundle = Encoding.ASCII.GetString(stdout).Trim();
        Assert.Equal(File.ReadAllText(Path.Combine(temp.Path, "ca.crt")), Encoding.ASCII.GetString(Convert.FromBase64String(caBundle)));
        var verify = Tool.Run("openssl", ["verify", "-CAfile", Path.Combine(temp.Path, "ca.crt"), "-purpose", "sslserver", Path.Combine(temp.Path, "tls.crt")]);
        Assert.True(verify.ExitCode == 0, verify.Stderr + Encoding.UTF8.GetString(verify.Stdout));
        var text = Encoding.UTF8.GetString(Tool.Run("openssl", ["x509", "-in", Path.Combine(temp.Path, "tls.crt"), "-noout", "-ext", "subjectAltName"]).Stdout);
        Assert.Contains("DNS:lameduck-webhook.lameduck-system.svc,", text, StringComparison.Ordinal);
        Assert.Contains("DNS:lameduck-webhook.lameduck-system.svc.cluster.local", text, StringComparison.Ordinal);
        var keyCheck = Tool.Run("openssl", ["pkey", "-in", Path.Combine(temp.Path, "tls.key"), "-noout"]);
        Assert.Equal(0, keyCheck.ExitCode);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(temp.Path, "tls.key")));
    }

    [Theory]
    [InlineData(new[] { "--cert", "x.crt" }, "--key: name the PEM private key file")]
    [InlineData(new[] { "--listen", "http://0.0.0.0:8080", "--cert", "x", "--key", "y" }, "the API server calls webhooks over HTTPS only")]
    [InlineData(new[] { "--timeout", "15s", "--cert", "x", "--key", "y" }, "--timeout: 15s is not under the API server's 10 s default")]
    [InlineData(new[] { "--cert", "/no/such/tls.crt", "--key", "/no/such/tls.key" }, "--cert/--key: /no/such/tls.crt")]
    public void Bad_usage_exits_2_and_names_the_flag(string[] args, string message)
    {
        var (exit, _, stderr) = Tool.Run("dotnet", [Cli, "webhook", .. args], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void A_port_in_use_is_a_clear_error_not_a_stack_trace()
    {
        using var temp = new TempFolder();
        Tool.Run("dotnet", [Cli, "webhook", "certs", "--service", "s", "--namespace", "n", "--out", temp.Path]);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (exit, _, stderr) = Tool.Run("dotnet", [Cli, "webhook", "--listen", $"https://127.0.0.1:{port}", "--cert", Path.Combine(temp.Path, "tls.crt"),
            "--key", Path.Combine(temp.Path, "tls.key"), "--log-format", "text"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains($"lameduck webhook: --listen: Failed to bind to address https://127.0.0.1:{port}: address already in use", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "Lameduck.Cli.dll");

    private static HttpClient Client(X509Certificate2 ca, int port) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => CertificateFolder.Trusts(cert, [ca]) },
    })
    { BaseAddress = new Uri($"https://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<int> ListeningPortAsync(ChildProcess process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var match = Listening().Match(process.Stdout);
            if (match.Success) return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(50);
        }
        throw new TimeoutException($"the webhook did not start:\n{process.Stdout}\n{process.Stderr}");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(20);
        }
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        var buffer = new byte[16384];
        var text = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            if (text.ToString().Contains("\"response\"", StringComparison.Ordinal) && text.ToString().TrimEnd().EndsWith("}}", StringComparison.Ordinal)) break;
        }
        return text.ToString();
    }

    [GeneratedRegex(@"Now listening on: https://127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
