namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>
/// A tiny HTTP/1.1 keep-alive server run as a real child process (python3), standing in for an app
/// in tests that must not depend on the sample service. It answers every GET with 200 and its port
/// in the body. Flags: <c>--ignore-term</c> (SIGTERM does nothing), <c>--term-delay S</c> (keeps
/// serving S seconds after SIGTERM, then exits 0), <c>--fail-start</c> (exits 3 at once), <c>--fail-if-exists F</c> (exits 4 when F exists),
/// <c>--child-pid-file F</c> (spawns a <c>sleep</c> grandchild and writes its pid to F).
/// Without flags it exits at once on SIGTERM (status 143), like a server with no lame-duck window.
/// </summary>
internal static class StandInServer
{
    /// <summary>The server's source (the lab's init tests write it to a file for an init to run).</summary>
    public const string Script = """
        import http.server, os, signal, socketserver, subprocess, sys, threading, time
        args = sys.argv[1:]
        port = int(os.environ["PORT"])
        def flag(name): return name in args
        def value(name): return args[args.index(name) + 1]
        if flag("--fail-if-exists") and os.path.exists(value("--fail-if-exists")):
            print("failing because %s exists" % value("--fail-if-exists"), flush=True); sys.exit(4)
        if flag("--fail-start"):
            print("failing on purpose", flush=True); sys.exit(3)
        if flag("--child-pid-file"):
            child = subprocess.Popen(["sleep", "300"])
            with open(value("--child-pid-file"), "w") as f: f.write(str(child.pid))
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                body = ("port %d\n" % port).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *a): pass
        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            # socketserver's default listen backlog is 5: a proxy's burst of new upstream connections (nginx after a
            # reload) overflows it, and the kernel later resets the half-open ones: 502s no shutdown causes. Real
            # servers listen with hundreds (nginx 511, Kestrel 512); so does this one.
            request_queue_size = 511
        server = Server(("127.0.0.1", port), Handler)
        if flag("--ignore-term"):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        elif flag("--term-delay"):
            delay = float(value("--term-delay"))
            def later():
                time.sleep(delay); os._exit(0)
            signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=later, daemon=True).start())
        print("listening on %d" % port, flush=True)
        server.serve_forever()
        """;

    /// <summary>The python interpreter: Debian's, not a version manager's shim (faster to start).</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>The command for a replica template: python3 -c script [flags] (no script file to clean up).</summary>
    public static IReadOnlyList<string> Command(params string[] flags) => [Python, "-c", Script, .. flags];
}
