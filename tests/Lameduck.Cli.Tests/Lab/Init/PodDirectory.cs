using Lameduck.Cli.Tests.Lab.Support;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lab.Init;

/// <summary>
/// A temp directory holding what the lab's replicas of Debian's servers are made of: config templates, launcher
/// scripts and the official images' entrypoint scripts. The lab starts a replica as <c>COMMAND ARGS</c> with
/// <c>PORT</c> set, but the servers read their ports and paths from config files, so a launcher writes the
/// replica's configs into <c>DIR/$PORT/</c> from the templates (<c>@PORT@</c>, <c>@DIR@</c>, <c>@ROOT@</c>) and
/// then starts the container's main process. Each container's stderr (its init's log, and the server's own
/// start-up errors) goes to <c>DIR/$PORT/NAME.init.log</c>, which outlives the lab's own temp dir, so a test can
/// assert what lameduck-init printed during the rollout.
/// </summary>
/// <remarks>
/// Every server is started the way its official image starts it, so lameduck-init must recognise the image's
/// command, not the bare binary: <c>/docker-entrypoint.sh nginx -g 'daemon off;'</c> (nginx),
/// <c>docker-php-entrypoint php-fpm</c> (php:fpm), <c>docker-entrypoint.sh haproxy -f …</c> (haproxy, whose script
/// adds <c>-W -db</c>), <c>apache2-foreground</c> (php:apache, Debian's apache2). Those scripts do not exist on
/// Debian, so the directory holds tiny equivalents with the same names that end in <c>exec</c> as theirs do.
/// <para>
/// A container's init is given as words (<c>[]</c>: the server is the container's main process, as shipped;
/// <c>[tini, "--"]</c>; <c>[lameduck-init, flags…, "--"]</c>). The word <c>{port}</c> stands for the replica's port.
/// </para>
/// </remarks>
internal sealed class PodDirectory : IDisposable
{
    public const string Tini = "/usr/bin/tini";

    private readonly LabTempDir _dir = new();

    // Entrypoint scripts an init execs by path: the pod script makes them executable (chmod, not .NET's
    // platform-specific File.SetUnixFileMode).
    private readonly List<string> _executables = [];

    public string Path => _dir.Path;

    /// <summary>
    /// One container: Debian's nginx as the official nginx image starts it (<c>/docker-entrypoint.sh nginx -g
    /// 'daemon off;'</c>) under <paramref name="init"/>. nginx answers <c>/healthz/ready</c> and <c>/</c> with 200 itself.
    /// </summary>
    public IReadOnlyList<string> NginxCommand(params string[] init)
    {
        Write("nginx.conf.template", NginxConfig("""
            location = /healthz/ready { return 200 "ready\n"; }
            location / { return 200 "hello from nginx @PORT@\n"; }
            """));
        WriteNginxEntrypoint();
        return Pod("nginx", ["nginx.conf"], $"""
            exec {Words(init)} "$here/docker-entrypoint.sh" nginx -g 'daemon off;' -p "$d" -e "$d/error.log" -c "$d/nginx.conf" 2>>"$d/nginx.init.log"
            """);
    }

    /// <summary>
    /// One container: Debian's HAProxy as the official haproxy image starts it (<c>docker-entrypoint.sh haproxy -f
    /// CFG</c>, which the script turns into <c>haproxy -W -db -f CFG</c>: master-worker, foreground) under
    /// <paramref name="init"/>. HAProxy answers every request with 200 itself (<c>http-request return</c>).
    /// </summary>
    public IReadOnlyList<string> HaproxyCommand(params string[] init)
    {
        Write("haproxy.cfg.template", """
            global
                maxconn 4096
            defaults
                mode http
                timeout connect 5s
                timeout client 65s
                timeout server 30s
                timeout http-keep-alive 65s
            frontend web
                bind 127.0.0.1:@PORT@
                http-request return status 200 content-type text/plain string "hello from haproxy @PORT@"
            """);
        // docker-library/haproxy's docker-entrypoint.sh, minus nothing that matters here.
        WriteExecutable("docker-entrypoint.sh", """
            #!/bin/sh
            # Like the official haproxy image's entrypoint: a first word that is a flag means haproxy; haproxy runs
            # as master-worker (-W) in the foreground (-db).
            set -e
            if [ "${1#-}" != "$1" ]; then set -- haproxy "$@"; fi
            if [ "$1" = 'haproxy' ]; then shift; set -- haproxy -W -db "$@"; fi
            exec "$@"
            """);
        return Pod("haproxy", ["haproxy.cfg"], $"""
            exec {Words(init)} "$here/docker-entrypoint.sh" haproxy -f "$d/haproxy.cfg" 2>>"$d/haproxy.init.log"
            """);
    }

    /// <summary>
    /// One container: Debian's apache2 (mpm_event) as the php:apache image starts it (<c>apache2-foreground</c>)
    /// under <paramref name="init"/>, with a self-contained configuration in the replica's directory (ServerRoot,
    /// PidFile, logs; workers run as www-data, which only reads the document root). It serves <c>/</c> (index.html).
    /// Its error log is <c>DIR/$PORT/error.log</c> (in <see cref="Logs"/>).
    /// </summary>
    public IReadOnlyList<string> ApacheCommand(params string[] init)
    {
        Write("www/index.html", "hello from apache");
        Write("apache2.conf.template", """
            ServerRoot @DIR@
            ServerName localhost
            Listen 127.0.0.1:@PORT@
            PidFile @DIR@/apache2.pid
            ErrorLog @DIR@/error.log
            # mpm_event:trace1 logs when the event MPM shuts down kept-alive connections because all of a child's
            # workers are busy (or it is dying): "All workers are busy or dying, will shutdown N keep-alive connections".
            LogLevel warn mpm_event:trace1
            LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
            LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
            LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
            User www-data
            Group www-data
            DocumentRoot @ROOT@/www
            DirectoryIndex index.html
            <Directory />
                Require all granted
            </Directory>
            # Upstream keep-alive outlives the proxy's idle timeout (ingress-nginx: 60 s), as a tuned backend's does:
            # Apache's 5 s default would close pooled connections under an idle proxy, a race no shutdown causes.
            KeepAliveTimeout 65
            MaxKeepAliveRequests 0
            # A small machine: one child process to start with, with enough worker threads that they are never all
            # busy at the proof's 1,000 req/s. When they are, mpm_event shuts down every idle kept-alive connection
            # of the child at once (event.c; the trace above), and nginx, which does not retry here, answers 502 for
            # a request it had just written on one: an overload race no shutdown causes, and the likely cause of 3
            # 502s through nginx on a saturated 2-core machine (docs/TESTING.md, run 71). 25 threads is the default.
            StartServers 1
            ThreadLimit 200
            ThreadsPerChild 200
            """);
        // docker-library/php's apache2-foreground: Apache's run-time files, then apache2 in the foreground.
        WriteExecutable("apache2-foreground", """
            #!/bin/sh
            # Like the php:apache image's apache2-foreground: remove a stale pid file, then exec apache2 in the foreground.
            set -e
            d="$(dirname "$0")/$PORT"
            rm -f "$d/apache2.pid"
            exec /usr/sbin/apache2 -DFOREGROUND "$@"
            """);
        return Pod("apache", ["apache2.conf"], $"""
            exec {Words(init)} "$here/apache2-foreground" -d "$d" -f "$d/apache2.conf" 2>>"$d/apache.init.log"
            """);
    }

    /// <summary>
    /// One container: a plain HTTP/1.1 keep-alive server that knows nothing of graceful shutdown (Python's
    /// http.server: TERM kills it at once) under <paramref name="init"/>. Its init's log is <c>app.init.log</c>.
    /// </summary>
    /// <remarks>The lab's <see cref="StandInServer"/> without flags: SIGTERM ends it at once; its listen backlog is 511.</remarks>
    public IReadOnlyList<string> PlainServerCommand(params string[] init)
    {
        Write("plain-server.py", StandInServer.Script);
        return Pod("plain", [], $"""
            exec {Words(init)} {StandInServer.Python} "$here/plain-server.py" 2>>"$d/app.init.log"
            """);
    }

    /// <summary>
    /// The write-ups' php-fpm pod: two containers, nginx in front of php-fpm (a PHP script that takes
    /// <paramref name="workMilliseconds"/>, the write-ups' 200 ms by default, served by a static pool of
    /// <paramref name="workers"/>), as in
    /// examples/kubernetes/php-fpm-lameduck-init.yaml, each started as its official image starts it and under its own
    /// init (<paramref name="nginxInit"/>, <paramref name="phpFpmInit"/>). The launcher stands in for the kubelet's
    /// side of a pod: it starts both containers, sends each container the signal it gets (TERM, QUIT, …) at the same
    /// moment (the kubelet stops a pod's containers in parallel; both images' STOPSIGNAL is QUIT), and exits when
    /// both have. <paramref name="processControlTimeout"/> null leaves php-fpm's default, 0: busy workers are
    /// killed on QUIT. php-fpm's QUIT closes its socket, so a php-fpm that stops while nginx still forwards new
    /// requests answers them 502 whatever process_control_timeout says.
    /// </summary>
    public IReadOnlyList<string> PhpFpmCommand(string? processControlTimeout, IReadOnlyList<string> nginxInit, IReadOnlyList<string> phpFpmInit,
        int workMilliseconds = 200, int workers = 100)
    {
        Write("www/slow.php", $$"""
            <?php
            // The request's work ({{workMilliseconds}} ms). A signal cuts usleep short (php-fpm sends its busy workers
            // QUIT before it kills them), and real work would not end early: sleep until the time has passed.
            $end = microtime(true) + {{(workMilliseconds / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture)}};
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
            ; 1,000 req/s x 200 ms is 200 requests in flight, about 70 per replica with 3.
            pm = static
            pm.max_children = {workers}
            ping.path = /fpm-ping
            """);
        WriteNginxEntrypoint();
        // docker-library/php's docker-php-entrypoint: a first word that is a flag means php-fpm.
        WriteExecutable("docker-php-entrypoint", """
            #!/bin/sh
            # Like the php:fpm image's docker-php-entrypoint.
            set -e
            if [ "${1#-}" != "$1" ]; then set -- php-fpm "$@"; fi
            exec "$@"
            """);
        // The image's php-fpm, on PATH under its name (Debian's is php-fpm8.2).
        Directory.CreateDirectory(File("bin"));
        System.IO.File.CreateSymbolicLink(File("bin/php-fpm"), "/usr/sbin/php-fpm8.2");
        return Pod("php", ["nginx.conf", "php-fpm.conf"], $$"""
            PATH="$here/bin:$PATH"
            # A shell without job control starts background commands with INT and QUIT ignored, and a .NET process
            # (lameduck-init) keeps an ignored QUIT ignored: a container's main process gets default dispositions.
            env --default-signal=INT,QUIT {{Words(phpFpmInit)}} "$here/docker-php-entrypoint" php-fpm -F -R -y "$d/php-fpm.conf" 2>>"$d/php-fpm.init.log" &
            fpm=$!
            env --default-signal=INT,QUIT {{Words(nginxInit)}} "$here/docker-entrypoint.sh" nginx -g 'daemon off;' -p "$d" -e "$d/error.log" -c "$d/nginx.conf" 2>>"$d/nginx.init.log" &
            web=$!
            # The kubelet's stop: each container's main process gets the stop signal at once (logged in pod.log).
            for s in TERM QUIT INT USR1 WINCH; do trap "echo \"\$(date +%T.%N) SIG$s to php-fpm $fpm and nginx $web\" >>\"$d/pod.log\"; kill -$s $fpm $web 2>/dev/null" "$s"; done
            # A trapped signal interrupts wait (status > 128) while the child still runs: wait again until it is reaped.
            reap() { code=0; while kill -0 "$1" 2>/dev/null; do wait "$1"; code=$?; done; echo "$(date +%T.%N) $2 exited $code" >>"$d/pod.log"; return "$code"; }
            reap "$fpm" php-fpm; fpm_code=$?
            reap "$web" nginx; web_code=$?
            [ "$fpm_code" -ne 0 ] && exit "$fpm_code"
            exit "$web_code"
            """);
    }

    /// <summary>Every replica's log of one container's supervisor, e.g. <c>InitLogs("php-fpm")</c>: port → text.</summary>
    public IReadOnlyDictionary<string, string> InitLogs(string container) =>
        Directory.EnumerateDirectories(Path)
            .Where(d => System.IO.File.Exists(System.IO.Path.Combine(d, container + ".init.log")))
            .ToDictionary(d => System.IO.Path.GetFileName(d), d => System.IO.File.ReadAllText(System.IO.Path.Combine(d, container + ".init.log")));

    /// <summary>The end of every replica's logs (servers' error logs, supervisors' logs), for failure messages.</summary>
    public string Logs() => string.Join("\n", Directory.EnumerateDirectories(Path)
        .SelectMany(d => Directory.EnumerateFiles(d, "*.log"))
        .Select(f => $"--- {f}\n{string.Join("\n", System.IO.File.ReadLines(f).TakeLast(12))}"));

    /// <summary>Kills whatever the pods left (see <see cref="KillEscapedProcessGroups"/>), then deletes the directory.</summary>
    public void Dispose()
    {
        KillEscapedProcessGroups();
        _dir.Dispose();
    }

    /// <summary>
    /// php-fpm's master always calls setsid(), even in the foreground, so its process group and session are its
    /// own: when the lab SIGKILLs a pod that is still running at the end of a run (its group and its session, what
    /// it can find without a cgroup), the pod's php-fpm master and workers survive, reparented. A container runtime
    /// kills the whole cgroup; here, every process whose command line names this directory (the master's title does:
    /// <c>php-fpm: master process (DIR/PORT/php-fpm.conf)</c>) has its process group killed, workers included.
    /// </summary>
    private void KillEscapedProcessGroups()
    {
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(proc), out int pid) || pid == Environment.ProcessId) continue;
            try
            {
                var commandLine = System.IO.File.ReadAllText(System.IO.Path.Combine(proc, "cmdline"));
                if (!commandLine.Contains(Path, StringComparison.Ordinal)) continue;
                // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so count from its ')'.
                var stat = System.IO.File.ReadAllText(System.IO.Path.Combine(proc, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                int group = int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
                if (group > 1) ProcessSignals.Send(-group, SignalTable.SIGKILL);
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Writes <c>NAME-pod.sh</c>: the replica's directory and configs, then <paramref name="start"/>.</summary>
    private IReadOnlyList<string> Pod(string name, IReadOnlyList<string> configs, string start)
    {
        var render = configs.Count == 0 ? "" :
            $"for f in {string.Join(' ', configs)}; do\n" +
            "    sed -e \"s|@PORT@|$PORT|g\" -e \"s|@DIR@|$d|g\" -e \"s|@ROOT@|$here|g\" \"$here/$f.template\" > \"$d/$f\"\n" +
            "done\n";
        var chmod = _executables.Count == 0 ? "" : $"chmod 755 {string.Join(' ', _executables.Select(e => "\"$here/" + e + "\""))}\n";
        Write(name + "-pod.sh", $"""
            #!/bin/sh
            # One pod of the lab's rollout ({name}); its container(s) and init(s) are written below.
            set -u
            here=$(cd "$(dirname "$0")" && pwd)
            d="$here/$PORT"
            mkdir -p "$d"
            # Debian keeps the servers in /usr/sbin, which a test runner's PATH may lack.
            PATH="$PATH:/usr/sbin"
            export PATH
            {chmod}{render}{start}
            """);
        return ["/bin/sh", File(name + "-pod.sh")];
    }

    private void WriteNginxEntrypoint() => WriteExecutable("docker-entrypoint.sh", """
        #!/bin/sh
        # Like the official nginx image's /docker-entrypoint.sh: its set-up scripts (none here), then exec "$@".
        set -e
        exec "$@"
        """);

    /// <summary>Shell words for an init's command line; <c>{port}</c> becomes the replica's port.</summary>
    private static string Words(IReadOnlyList<string> words) =>
        string.Join(' ', words.Select(w => w == "{port}" ? "\"$PORT\"" : "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private void Write(string name, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(name))!);
        System.IO.File.WriteAllText(File(name), text + "\n");
    }

    private void WriteExecutable(string name, string text)
    {
        Write(name, text);
        _executables.Add(name);
    }

    // Self-contained: pid, logs and temp files in the replica's directory; one worker (a small machine). The
    // official image's command adds "daemon off;" with -g.
    private static string NginxConfig(string locations) => $$"""
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
