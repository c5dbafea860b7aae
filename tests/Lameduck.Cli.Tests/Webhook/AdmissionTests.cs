using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Lameduck.Cli.Tests.Inject;
using Lameduck.Cli.Tests.Lint;

namespace Lameduck.Cli.Tests.Webhook;

/// <summary>
/// The webhook over real HTTPS on 127.0.0.1: its patches, applied by an independent JSON Patch implementation
/// (Debian's python3-jsonpatch), give exactly what <c>lameduck inject</c> writes for the same pod; and every
/// request it cannot handle is still answered 200, allowed, with a warning, quickly.
/// </summary>
public class AdmissionTests
{
    public static TheoryData<string, string> Pods()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.EnumerateFiles(Manifest.Path(""), "*.yaml").Order(StringComparer.Ordinal))
        {
            foreach (var id in PodObjects.FromManifest(File.ReadAllText(file)).Keys) data.Add(Path.GetFileName(file), id);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pods))]
    public async Task Patch_applied_by_python_jsonpatch_equals_what_inject_writes_for_the_same_pod(string manifest, string workload)
    {
        await PatchEqualsInject(manifest, workload, "1.30");
    }

    [Fact]
    public async Task Patch_equals_inject_before_Kubernetes_1_30_too()
    {
        await PatchEqualsInject("go-app.yaml", "Deployment/api", "1.29");
    }

    private static async Task PatchEqualsInject(string manifest, string workload, string kubeVersion)
    {
        var pod = PodObjects.FromManifest(Manifest.Text(manifest))[workload];
        await using var webhook = await WebhookHarness.StartAsync(kubeVersion: kubeVersion);
        using var temp = new TempFolder();
        var podFile = temp.Write("pod.json", pod);
        var injected = InjectRun.Invoke([podFile, "--kube-version", kubeVersion]);
        Assert.Equal(0, injected.ExitCode);
        var expectedFile = temp.Write("expected.yaml", injected.StdoutBytes);

        var (status, body) = await webhook.PostAsync("/mutate", AdmissionReviews.ForPod(pod));

        Assert.Equal(HttpStatusCode.OK, status);
        using var review = JsonDocument.Parse(body);
        var response = review.RootElement.GetProperty("response");
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", response.GetProperty("uid").GetString());
        Assert.True(response.GetProperty("allowed").GetBoolean());
        Assert.Equal("JSONPatch", response.GetProperty("patchType").GetString());
        var patchFile = temp.Write("patch.json", Convert.FromBase64String(response.GetProperty("patch").GetString()!));
        var (exit, stdout, stderr) = Tool.Run(Tool.DebianPython, [Tool.Checker("apply_patch.py"), podFile, patchFile, expectedFile]);
        Assert.True(exit == 0, stderr);
        using var comparison = JsonDocument.Parse(stdout);
        Assert.True(comparison.RootElement.GetProperty("equal").GetBoolean(), Encoding.UTF8.GetString(stdout));
        // And the pod really changed: the status annotation is in the patched pod.
        Assert.Contains("lameduck.dev/status", comparison.RootElement.GetProperty("patched").GetProperty("metadata").GetProperty("annotations").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_injected_pod_gets_no_patch_and_a_pod_that_did_not_opt_in_neither()
    {
        var pod = PodObjects.FromManifest(Manifest.Text("nginx-official.yaml"))["Deployment/web"];
        using var temp = new TempFolder();
        var injectedPod = InjectRun.Invoke([temp.Write("pod.json", pod)]).Stdout;
        var silentPod = pod.Replace("\"lameduck.dev/inject\":\"true\"", "\"team\":\"web\"", StringComparison.Ordinal);
        Assert.NotEqual(pod, silentPod);
        await using var webhook = await WebhookHarness.StartAsync();

        foreach (var body in new[] { injectedPod, silentPod })
        {
            var (status, answer) = await webhook.PostAsync("/mutate", AdmissionReviews.ForPod(body));
            using var review = JsonDocument.Parse(answer);
            var response = review.RootElement.GetProperty("response");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(response.GetProperty("allowed").GetBoolean());
            Assert.False(response.TryGetProperty("patch", out _), answer);
        }
    }

    [Fact]
    public async Task Namespace_path_injects_pods_without_the_annotation_but_not_those_that_opt_out()
    {
        var pod = PodObjects.FromManifest(Manifest.Text("go-app.yaml"))["Deployment/api"];
        var silent = pod.Replace("\"lameduck.dev/inject\":\"true\"", "\"team\":\"api\"", StringComparison.Ordinal);
        var optedOut = pod.Replace("\"lameduck.dev/inject\":\"true\"", "\"lameduck.dev/inject\":\"false\"", StringComparison.Ordinal);
        await using var webhook = await WebhookHarness.StartAsync();

        var (_, injected) = await webhook.PostAsync("/mutate/all", AdmissionReviews.ForPod(silent));
        var (_, left) = await webhook.PostAsync("/mutate/all", AdmissionReviews.ForPod(optedOut));
        var (_, annotationOnly) = await webhook.PostAsync("/mutate", AdmissionReviews.ForPod(silent));

        Assert.Contains("\"patch\"", injected, StringComparison.Ordinal);
        Assert.DoesNotContain("\"patch\"", left, StringComparison.Ordinal);
        Assert.DoesNotContain("\"patch\"", annotationOnly, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_with_containers_it_cannot_handle_gets_the_status_annotation_and_a_warning_per_container()
    {
        var pod = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"odd","namespace":"shop","annotations":{"lameduck.dev/inject":"true"}},
             "spec":{"containers":[{"name":"fpm","image":"registry.example.com/shop/php-fpm:8.2"},{"name":"api","image":"registry.example.com/api:1"}]}}
            """;
        await using var webhook = await WebhookHarness.StartAsync();

        var (status, body) = await webhook.PostAsync("/mutate", AdmissionReviews.ForPod(pod));

        Assert.Equal(HttpStatusCode.OK, status);
        using var review = JsonDocument.Parse(body);
        var response = review.RootElement.GetProperty("response");
        var warning = Assert.Single(response.GetProperty("warnings").EnumerateArray()).GetString()!;
        Assert.StartsWith("lameduck: Pod/odd: container 'fpm' left alone: it runs php-fpm from registry.example.com/shop/php-fpm:8.2", warning, StringComparison.Ordinal);
        var patch = Encoding.UTF8.GetString(Convert.FromBase64String(response.GetProperty("patch").GetString()!));
        Assert.Contains("fpm: left alone: it runs php-fpm", patch, StringComparison.Ordinal);   // in the status annotation
        Assert.Contains("/spec/containers/1/lifecycle", patch, StringComparison.Ordinal);      // the other one is injected
    }

    public static TheoryData<string, byte[], string> Unhandled() => new()
    {
        { "not JSON", "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": "u8.ToArray(), "the body is not JSON" },
        { "not a review", "{\"hello\": \"world\"}"u8.ToArray(), "not an admission.k8s.io/v1 AdmissionReview" },
        { "v1beta1", "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}}"u8.ToArray(), "not an admission.k8s.io/v1 AdmissionReview" },
        { "no uid", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}"u8.ToArray(), "the request has no uid" },
        { "a Deployment", AdmissionReviews.ForPod("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"api\"}}", group: "apps", kind: "Deployment", resource: "deployments"), "the webhook mutates pods only, not apps/v1/Deployment" },
        { "a pod without spec", AdmissionReviews.ForPod("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\",\"annotations\":{\"lameduck.dev/inject\":\"true\"}}}"), "the pod has no spec that can be read" },
        { "a pod whose containers are a string", AdmissionReviews.ForPod("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\",\"annotations\":{\"lameduck.dev/inject\":\"true\"}},\"spec\":{\"containers\":\"nginx\"}}"), "its pod spec has no list of containers" },
    };

    [Theory]
    [MemberData(nameof(Unhandled))]
    public async Task Requests_it_cannot_handle_are_allowed_with_a_warning_never_a_500(string what, byte[] body, string warning)
    {
        Assert.NotEmpty(what);
        // A 10 s timeout: an answer that waited for it (a hang cut short) would take 10 s; a real one takes milliseconds
        // (5 s of slack for a loaded 2-core machine and a cold JIT).
        await using var webhook = await WebhookHarness.StartAsync(timeout: TimeSpan.FromSeconds(9.5));
        var watch = Stopwatch.StartNew();

        var (status, answer) = await webhook.PostAsync("/mutate", body);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, status);
        using var review = JsonDocument.Parse(answer);
        var response = review.RootElement.GetProperty("response");
        Assert.True(response.GetProperty("allowed").GetBoolean());
        Assert.False(response.TryGetProperty("patch", out _));
        Assert.Contains(warning, response.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pod_that_did_not_opt_in_is_answered_without_being_read_even_when_it_makes_no_sense()
    {
        await using var webhook = await WebhookHarness.StartAsync();

        var (status, answer) = await webhook.PostAsync("/mutate", AdmissionReviews.ForPod("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"},\"spec\":7}"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":true}}""", answer);
    }

    [Fact]
    public async Task An_update_is_allowed_unchanged_without_a_warning()
    {
        var pod = PodObjects.FromManifest(Manifest.Text("go-app.yaml"))["Deployment/api"];
        await using var webhook = await WebhookHarness.StartAsync();

        var (status, answer) = await webhook.PostAsync("/mutate", AdmissionReviews.ForPod(pod, operation: "UPDATE"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002","allowed":true}}""", answer);
    }

    [Fact]
    public async Task An_oversized_body_is_allowed_with_a_warning_and_its_uid_echoed()
    {
        // 4 MiB of labels: over the 3 MiB limit (the API server's own), read no further than that.
        var labels = string.Join(",", Enumerable.Range(0, 60_000).Select(i => $"\"label-{i:D6}\":\"{new string('x', 50)}\""));
        var pod = $"{{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{{\"name\":\"big\",\"labels\":{{{labels}}}}},\"spec\":{{\"containers\":[{{\"name\":\"a\",\"image\":\"a\"}}]}}}}";
        var body = AdmissionReviews.ForPod(pod, uid: "big-review-uid");
        Assert.True(body.Length > 4_000_000);
        // As above: a 9.5 s timeout, so an answer that waited for the rest of the body would take that long.
        await using var webhook = await WebhookHarness.StartAsync(timeout: TimeSpan.FromSeconds(9.5));
        var watch = Stopwatch.StartNew();

        var (status, answer) = await webhook.PostAsync("/mutate", body);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, status);
        using var review = JsonDocument.Parse(answer);
        var response = review.RootElement.GetProperty("response");
        Assert.Equal("big-review-uid", response.GetProperty("uid").GetString());
        Assert.True(response.GetProperty("allowed").GetBoolean());
        Assert.Contains("larger than 3 MiB", response.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_stops_arriving_is_answered_at_the_timeout_not_left_hanging()
    {
        // The default timeout (2 s), which also bounds the TLS handshake (Kestrel's HandshakeTimeout): at 500 ms a
        // handshake on a starved 2-core machine ran out once in a full run, and the server closed the connection.
        await using var webhook = await WebhookHarness.StartAsync(timeout: TimeSpan.FromSeconds(2));
        var body = AdmissionReviews.ForPod(PodObjects.FromManifest(Manifest.Text("go-app.yaml"))["Deployment/api"]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, webhook.Address.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => CertificateFolder.Trusts(cert, [webhook.Certificates.Ca]));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
        var watch = Stopwatch.StartNew();

        // Headers and half the body, then nothing (a stalled client or network).
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"POST /mutate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));
        await tls.WriteAsync(body.AsMemory(0, body.Length / 2));
        await tls.FlushAsync();
        var response = await ReadResponseAsync(tls).WaitAsync(TimeSpan.FromSeconds(10));

        // At the 2 s timeout, and not long after (a loaded 2-core machine: 3 s of slack).
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.95), TimeSpan.FromSeconds(5));
        Assert.StartsWith("HTTP/1.1 200 OK", response, StringComparison.Ordinal);
        Assert.Contains("\"allowed\":true", response, StringComparison.Ordinal);
        Assert.Contains("did not arrive within 2 s", response, StringComparison.Ordinal);
    }

    private static async Task<string> ReadResponseAsync(Stream stream)
    {
        var buffer = new byte[16384];
        var text = new StringBuilder();
        while (true)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0) return text.ToString();
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            var s = text.ToString();
            int headerEnd = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var lengthHeader = s.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (headerEnd >= 0 && lengthHeader is not null && Encoding.UTF8.GetByteCount(s[(headerEnd + 4)..]) >= int.Parse(lengthHeader[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture)) return s;
        }
    }

    [Fact]
    public async Task Healthz_and_readyz_answer_200_while_serving()
    {
        await using var webhook = await WebhookHarness.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await webhook.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await webhook.Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Meter_counts_requests_by_outcome_and_times_them()
    {
        await using var webhook = await WebhookHarness.StartAsync();
        var counts = new Dictionary<string, long>();
        var durations = new List<double>();
        using var listener = new MeterListener();
        // This host's meter only (its IMeterFactory is the meter's scope): other tests run webhooks in parallel.
        var factory = (IMeterFactory)webhook.Services.GetService(typeof(IMeterFactory))!;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Lameduck.Webhook" && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name != "lameduck.webhook.requests") return;
            lock (counts)
            {
                foreach (var tag in tags) if (tag.Key == "outcome") counts[(string)tag.Value!] = counts.GetValueOrDefault((string)tag.Value!) + value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "lameduck.webhook.duration") lock (durations) durations.Add(value);
        });
        listener.Start();
        var pod = PodObjects.FromManifest(Manifest.Text("go-app.yaml"))["Deployment/api"];

        await webhook.PostAsync("/mutate", AdmissionReviews.ForPod(pod));
        await webhook.PostAsync("/mutate", AdmissionReviews.ForPod(pod));
        await webhook.PostAsync("/mutate", "nope"u8.ToArray());

        lock (counts)
        {
            Assert.Equal(2, counts.GetValueOrDefault("mutated"));
            Assert.Equal(1, counts.GetValueOrDefault("malformed"));
        }
        lock (durations)
        {
            Assert.Equal(3, durations.Count);
            Assert.All(durations, d => Assert.InRange(d, 0, 5));
        }
    }
}
