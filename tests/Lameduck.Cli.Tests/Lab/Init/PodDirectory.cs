using Lameduck.Cli.Tests.Lab.Support;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>
/// A temp directory holding what the lab's replicas of nginx and php-fpm are made of: config templates
/// and launcher scripts. The lab starts a replica as <c>COMMAND ARGS</c> with <c>PORT</c> set, but nginx and
/// php-fpm read their ports and paths from config files, so a launcher writes the replica's configs into
/// <c>DIR/$PORT/</c> from the templates (<c>@PORT@</c>, <c>@DIR@</c>, <c>@ROOT@</c>) and then starts the
/// supervisor. Each replica's supervisor logs (stderr) go to <c>DIR/$PORT/*.init.log</c>, which outlive the
/// lab's own temp dir, so a test can assert what lameduck-init printed during the rollout.
/// </summary>
internal sealed class PodDirectory : IDisposable
{
    public const string Nginx = "/usr/sbin/nginx";
    public const string PhpFpm = "/usr/sbin/php-fpm8.2";
    public const string Tini = "/usr/bin/tini";

    private readonly LabTempDir _dir = new();

    public string Path => _dir.Path;

    /// <summary>
    /// A container running Debian's nginx under an init: <c>sh nginx-pod.sh INIT [FLAGS] --</c> writes the config
    /// and then <c>exec</c>s the init, which is therefore the replica's main process and gets the stop signal.
    /// nginx answers <c>/healthz/ready</c> and <c>/</c> with 200 itself.
    /// </summary>
    public IReadOnlyList<string> NginxCommand(params string[] init)
    {
        Write("nginx.conf.template", NginxConfig("""
            location = /healthz/ready { return 200 "ready\n"; }
            location / { return 200 "hello from nginx @PORT@\n"; }
            """));
        Write("nginx-pod.sh", """
            #!/bin/sh
            # One container: nginx under the init given in "$@" (its path and flags, ending in --).
            set -eu
            here=$(cd "$(dirname "$0")" && pwd)
            d="$here/$PORT"
            mkdir -p "$d"
            sed -e "s|@PORT@|$PORT|g" -e "s|@DIR@|$d|g" -e "s|@ROOT@|$here|g" "$here/nginx.conf.template" > "$d/nginx.conf"
            exec "$@" /usr/sbin/nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf" 2>>"$d/nginx.init.log"
            """);
        return ["/bin/sh", File("nginx-pod.sh"), .. init];
    }

    /// <summary>
    /// A container running a plain HTTP/1.1 keep-alive server that knows nothing of graceful shutdown (Python's
    /// http.server: TERM kills it at once) under an init: <c>sh plain-pod.sh INIT [FLAGS] -- python3 plain-server.py</c>.
    /// The init's stderr goes to <c>DIR/$PORT/app.init.log</c> (<see cref="InitLogs"/>).
    /// </summary>
    /// <remarks>The lab's <see cref="StandInServer"/> without flags: SIGTERM ends it at once; its listen backlog is 511.</remarks>
    public IReadOnlyList<string> PlainServerCommand(params string[] init)
    {
        Write("plain-server.py", StandInServer.Script);
        Write("plain-pod.sh", """
            #!/bin/sh
            # One container: the app under the init, both given in "$@"; the init's log kept per replica.
            set -eu
            here=$(cd "$(dirname "$0")" && pwd)
            d="$here/$PORT"
            mkdir -p "$d"
            exec "$@" 2>>"$d/app.init.log"
            """);
        return ["/bin/sh", File("plain-pod.sh"), .. init, "--", StandInServer.Python, File("plain-server.py")];
    }

    /// <summary>
    /// The write-ups' php-fpm pod: two containers, nginx in front of php-fpm (a PHP script that takes 200 ms),
    /// each under its own lameduck-init, as in examples/kubernetes/php-fpm-lameduck-init.yaml. <c>sh php-pod.sh</c>
    /// stands in for the kubelet's side of a pod: it starts both containers, and on SIGTERM sends each its stop
    /// signal at the same moment (the kubelet stops a pod's containers in parallel), then waits for both.
    /// Each container's lame duck is its own (<paramref name="nginxDelay"/>, <paramref name="phpFpmDelay"/>): php-fpm's
    /// QUIT closes its socket, so a php-fpm that stops while nginx still forwards new requests answers them 502
    /// whatever process_control_timeout says; its lame duck must outlast the requests routed to the pod.
    /// <paramref name="processControlTimeout"/> null leaves php-fpm's default (0: busy workers are killed on QUIT).
    /// </summary>
    public IReadOnlyList<string> PhpFpmCommand(string initBinary, string? processControlTimeout, string nginxDelay, string phpFpmDelay)
    {
        Write("www/slow.php", """
            <?php
            // The write-ups' slow request: 200 ms of work. A signal cuts usleep short (php-fpm sends its busy workers
            // QUIT before it kills them), and real work would not end early: sleep until 200 ms have passed.
            $end = microtime(true) + 0.2;
            while (($left = $end - microtime(true)) > 0) usleep((int)($left * 1e6));
            echo "done\n";
            """);
        Write("nginx.conf.template", NginxConfig("""
            # php-fpm answers its own ping through nginx: the pod is ready once both containers are.
            location = /fpm-ping {
                include /etc/nginx/fastcgi_params;
                fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
                fastcgi_pass unix:@DIR@/php-fpm.sock;
            }
            location / {
                include /etc/nginx/fastcgi_params;
                fastcgi_param SCRIPT_FILENAME @ROOT@/www/slow.php;
                fastcgi_pass unix:@DIR@/php-fpm.sock;
            }
            """));
        bool root = Environment.UserName == "root";
        Write("php-fpm.conf.template", $"""
            [global]
            pid = @DIR@/php-fpm.pid
            error_log = @DIR@/php-fpm.log
            daemonize = no
            {(processControlTimeout is null ? "; no process_control_timeout: php-fpm's default, 0" : "process_control_timeout = " + processControlTimeout)}

            [www]
            {(root ? "user = root\ngroup = root" : "")}
            listen = @DIR@/php-fpm.sock
            ; 1,000 req/s x 200 ms over 3 replicas is about 70 requests in flight per replica.
            pm = static
            pm.max_children = 100
            ping.path = /fpm-ping
            """);
        Write("php-pod.sh", """
            #!/bin/sh
            # One pod, two containers: php-fpm and nginx, each under lameduck-init.
            # Usage: php-pod.sh LAMEDUCK_INIT NGINX_DELAY PHP_FPM_DELAY
            set -u
            here=$(cd "$(dirname "$0")" && pwd)
            d="$here/$PORT"
            mkdir -p "$d"
            for f in nginx.conf php-fpm.conf; do
                sed -e "s|@PORT@|$PORT|g" -e "s|@DIR@|$d|g" -e "s|@ROOT@|$here|g" "$here/$f.template" > "$d/$f"
            done
            init="$1"; web_delay="$2"; fpm_delay="$3"
            "$init" --preset php-fpm --delay "$fpm_delay" --grace-period 30s -- /usr/sbin/php-fpm8.2 -F -R -y "$d/php-fpm.conf" 2>>"$d/php-fpm.init.log" &
            fpm=$!
            "$init" --preset nginx --delay "$web_delay" --grace-period 30s -- /usr/sbin/nginx -p "$d" -e "$d/error.log" -c "$d/nginx.conf" 2>>"$d/nginx.init.log" &
            web=$!
            # The kubelet's stop: each container's main process gets the signal at once.
            trap 'kill -TERM "$fpm" "$web" 2>/dev/null' TERM
            # A trapped signal interrupts wait (status > 128) while the child still runs: wait again until it is reaped.
            reap() { code=0; while kill -0 "$1" 2>/dev/null; do wait "$1"; code=$?; done; return "$code"; }
            reap "$fpm"; fpm_code=$?
            reap "$web"; web_code=$?
            [ "$fpm_code" -ne 0 ] && exit "$fpm_code"
            exit "$web_code"
            """);
        return ["/bin/sh", File("php-pod.sh"), initBinary, nginxDelay, phpFpmDelay];
    }

    /// <summary>Every replica's log of one container's supervisor, e.g. <c>InitLogs("php-fpm")</c>: port → text.</summary>
    public IReadOnlyDictionary<string, string> InitLogs(string container) =>
        Directory.EnumerateDirectories(Path)
            .Where(d => System.IO.File.Exists(System.IO.Path.Combine(d, container + ".init.log")))
            .ToDictionary(d => System.IO.Path.GetFileName(d), d => System.IO.File.ReadAllText(System.IO.Path.Combine(d, container + ".init.log")));

    /// <summary>Every replica's nginx error log and supervisor logs, for failure messages.</summary>
    public string Logs() => string.Join("\n", Directory.EnumerateDirectories(Path)
        .SelectMany(d => Directory.EnumerateFiles(d, "*.log"))
        .Select(f => $"--- {f}\n{string.Join("\n", System.IO.File.ReadLines(f).TakeLast(12))}"));

    public void Dispose() => _dir.Dispose();

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private void Write(string name, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(name))!);
        System.IO.File.WriteAllText(File(name), text + "\n");
    }

    // Self-contained: pid, logs and temp files in the replica's directory; one worker (a small machine).
    private static string NginxConfig(string locations) => $$"""
        daemon off;
        {{(Environment.UserName == "root" ? "user root;" : "")}}
        worker_processes 1;
        pid @DIR@/nginx.pid;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path @DIR@/client_body;
            proxy_temp_path @DIR@/proxy;
            fastcgi_temp_path @DIR@/fastcgi;
            uwsgi_temp_path @DIR@/uwsgi;
            scgi_temp_path @DIR@/scgi;
            server {
                listen 127.0.0.1:@PORT@;
                root @ROOT@/www;
                {{locations}}
            }
        }
        """;
}
