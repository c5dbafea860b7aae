using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lameduck.Cli.Lab.Replicas;

namespace Lameduck.Cli.Lab.Ingress;

/// <summary>
/// Real nginx (Debian's package) as the ingress, modelled on ingress-nginx: one upstream with
/// keep-alive connections to the replicas, round robin per request, endpoint changes applied by
/// rewriting the configuration and <c>nginx -s reload</c> (old workers finish their requests, and keep WebSocket and
/// SSE sessions until they end or <c>worker_shutdown_timeout</c>, 240 s, runs out). WebSocket upgrades pass through.
/// Client connections carry one request each (see the comment in <see cref="RenderConfig"/>).
/// By default nginx is told NOT to hide failures (<c>max_fails=0</c>, <c>proxy_next_upstream off</c>),
/// so a request sent to a replica that refuses it becomes a 502 for the client, as through a
/// load balancer that does not retry; <c>retries: true</c> keeps nginx's own defaults
/// (<c>max_fails=1 fail_timeout=10s</c>, <c>proxy_next_upstream error timeout</c>), which mask errors.
/// </summary>
public sealed class NginxIngress(bool retries) : IIngress
{
    private readonly List<Endpoint> _view = [];
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private string _workDirectory = "";
    private string _nginx = "";
    private int _port;
    private ServerProcess? _server;

    /// <inheritdoc />
    public string Name => "nginx";

    /// <inheritdoc />
    public Uri Address => new($"http://127.0.0.1:{_port}/");

    /// <inheritdoc />
    public int? ProcessId => _server?.Pid;

    private string ConfigPath => Path.Combine(_workDirectory, "nginx.conf");

    /// <inheritdoc />
    public async Task StartAsync(string workDirectory, CancellationToken ct)
    {
        _nginx = SystemTool.Locate("nginx", "nginx-light");
        _workDirectory = Path.Combine(workDirectory, "nginx");
        Directory.CreateDirectory(_workDirectory);
        for (int attempt = 0; ; attempt++)
        {
            _port = FreePort.Next();
            await File.WriteAllTextAsync(ConfigPath, RenderConfig(), ct).ConfigureAwait(false);
            _server = ServerProcess.Start(_nginx, ["-p", _workDirectory + "/", "-c", ConfigPath, "-e", Path.Combine(_workDirectory, "error.log"), "-g", "daemon off;"],
                Path.Combine(_workDirectory, "stdout.log"));
            if (await FreePort.WaitListeningAsync(_port, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false)) return;
            var tail = File.Exists(Path.Combine(_workDirectory, "error.log")) ? File.ReadAllText(Path.Combine(_workDirectory, "error.log")) : _server.LogTail();
            _server.Dispose();
            _server = null;
            if (attempt == 2) throw new IngressUnavailableException($"nginx did not start on 127.0.0.1:{_port}: {tail.Trim()}");
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> LoggedErrors()
    {
        var log = Path.Combine(_workDirectory, "error.log");
        if (_workDirectory.Length == 0 || !File.Exists(log)) return [];
        // nginx writes "2026/12/05 21:20:01 [error] 1234#1234: *56 connect() failed ...": the level is in brackets.
        return File.ReadLines(log).Where(l => ErrorLevels.Any(level => l.Contains(level, StringComparison.Ordinal))).ToArray();
    }

    private static readonly string[] ErrorLevels = ["[error]", "[crit]", "[alert]", "[emerg]"];

    /// <inheritdoc />
    public Task AddEndpointAsync(Endpoint endpoint, CancellationToken ct) => ChangeAsync(v => v.Add(endpoint), ct);

    /// <inheritdoc />
    public Task RemoveEndpointAsync(Endpoint endpoint, CancellationToken ct) => ChangeAsync(v => v.RemoveAll(e => e.Port == endpoint.Port), ct);

    /// <summary>Stops nginx and its workers.</summary>
    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        _reloadGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task ChangeAsync(Action<List<Endpoint>> change, CancellationToken ct)
    {
        await _reloadGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            change(_view);
            await File.WriteAllTextAsync(ConfigPath, RenderConfig(), ct).ConfigureAwait(false);
            await ReloadAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    /// <summary>
    /// <c>nginx -s reload</c> only signals the master; the new view is in force once the master has
    /// started workers with the new configuration (it then tells the old ones to finish and quit),
    /// so wait for a worker pid that was not there before.
    /// </summary>
    private async Task ReloadAsync(CancellationToken ct)
    {
        var before = Workers();
        await SignalReloadAsync(ct).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        // New workers started, and every old one gone or told to quit (it then stops accepting).
        while (!Workers().Except(before).Any() || before.Any(IsAcceptingOldWorker))
        {
            if (DateTime.UtcNow > deadline) throw new IngressUnavailableException("nginx did not apply a reload within 10 s; see " + Path.Combine(_workDirectory, "error.log"));
            await Task.Delay(5, ct).ConfigureAwait(false);
        }
    }

    private static bool IsAcceptingOldWorker(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/cmdline").Contains("shutting down", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // gone
        }
    }

    private HashSet<int> Workers()
    {
        if (_server is null) return [];
        try
        {
            var text = File.ReadAllText($"/proc/{_server.Pid}/task/{_server.Pid}/children");
            return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToHashSet();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private async Task SignalReloadAsync(CancellationToken ct)
    {
        var psi = new ProcessStartInfo(_nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-p", _workDirectory + "/", "-c", ConfigPath, "-e", Path.Combine(_workDirectory, "error.log"), "-s", "reload" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        if (p.ExitCode != 0) throw new IngressUnavailableException($"nginx -s reload failed: {(await stderr.ConfigureAwait(false)).Trim()}");
    }

    /// <summary>The generated nginx.conf for the current view (visible for tests and docs).</summary>
    internal string RenderConfig()
    {
        var d = _workDirectory;
        var sb = new StringBuilder();
        sb.AppendLine("# generated by lameduck lab");
        if (Environment.UserName == "root") sb.AppendLine("user root;"); // temp paths live in the lab's private directory
        sb.AppendLine(CultureInfo.InvariantCulture, $"pid {d}/nginx.pid;");
        sb.AppendLine("worker_processes 1;");
        // ingress-nginx's default. After a reload the old workers keep their upgraded (WebSocket) connections and the
        // responses they are streaming (SSE) until those end or this runs out, then close them; the lab reloads on
        // every endpoint change, so a shorter value would cut long-lived sessions that have nothing to do with the rollout.
        sb.AppendLine("worker_shutdown_timeout 240s;");
        sb.AppendLine(CultureInfo.InvariantCulture, $"error_log {d}/error.log warn;");
        sb.AppendLine("events { worker_connections 4096; }");
        sb.AppendLine("http {");
        sb.AppendLine("  access_log off;");
        foreach (var t in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
            sb.AppendLine(CultureInfo.InvariantCulture, $"  {t}_temp_path {d}/{t}_temp;");
        // Clients get one request per connection. The lab applies endpoint changes by reload, and a reload
        // closes the old workers' idle keep-alive client connections: measured here, 8 reloads at 1,000 req/s
        // gave ~20 resets that .NET's client does not resend. ingress-nginx changes endpoints without a
        // reload (its Lua balancer), so those resets would be an artefact of the lab, not of the rollout.
        // Keep-alive towards the replicas (below) stays on: that is where a lame duck's Connection: close matters.
        sb.AppendLine("  keepalive_timeout 0;");
        // WebSocket upgrades pass through, as ingress-nginx passes them: Upgrade forwarded, Connection "upgrade" for an
        // upgrade and empty otherwise (so plain requests keep the upstream keep-alive).
        sb.AppendLine("  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }");
        sb.AppendLine("  upstream replicas {");
        string serverParams = retries ? "" : " max_fails=0";
        if (_view.Count == 0) sb.AppendLine("    server 127.0.0.1:1 down;  # no endpoints");
        foreach (var e in _view) sb.AppendLine(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{e.Port}{serverParams};  # {e.Name}");
        sb.AppendLine("    keepalive 64;");
        sb.AppendLine("  }");
        sb.AppendLine("  server {");
        sb.AppendLine(CultureInfo.InvariantCulture, $"    listen 127.0.0.1:{_port} backlog=4096;");
        sb.AppendLine("    location / {");
        sb.AppendLine("      proxy_pass http://replicas;");
        sb.AppendLine("      proxy_http_version 1.1;");
        sb.AppendLine("      proxy_set_header Upgrade $http_upgrade;");
        sb.AppendLine("      proxy_set_header Connection $connection_upgrade;");
        sb.AppendLine("      proxy_connect_timeout 5s;");
        // ingress-nginx's defaults: responses are not buffered to disk or memory before the client takes them (SSE
        // streams flowed here with buffering on too; this is for fidelity), and a session may be idle up to 60 s
        // (HelloService's echo and ticks are far more frequent).
        sb.AppendLine("      proxy_buffering off;");
        sb.AppendLine("      proxy_read_timeout 60s;");
        sb.AppendLine("      proxy_send_timeout 60s;");
        if (!retries) sb.AppendLine("      proxy_next_upstream off;");
        sb.AppendLine("    }");
        sb.AppendLine("  }");
        sb.AppendLine("}");
        return sb.ToString();
    }
}
