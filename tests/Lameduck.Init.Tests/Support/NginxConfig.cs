namespace Lameduck.Init.Tests.Support;

/// <summary>A self-contained nginx configuration in a temp directory: foreground, one worker, logs and temp files inside.</summary>
internal static class NginxConfig
{
    public const string Binary = "/usr/sbin/nginx";

    /// <summary>Writes nginx.conf with <paramref name="serverBlock"/> inside http { }; returns nginx's arguments.</summary>
    public static string[] Write(TempDirectory dir, string serverBlock)
    {
        // nginx started as root runs its worker as nobody unless told otherwise; our files are in a private temp dir.
        var user = Environment.UserName == "root" ? "user root;" : "";
        var conf = dir.Write("nginx.conf", $$"""
            daemon off;
            {{user}}
            worker_processes 1;
            pid {{dir.Path}}/nginx.pid;
            error_log {{dir.Path}}/error.log info;
            events { worker_connections 128; }
            http {
                access_log off;
                client_body_temp_path {{dir.Path}}/client_body;
                proxy_temp_path {{dir.Path}}/proxy;
                fastcgi_temp_path {{dir.Path}}/fastcgi;
                uwsgi_temp_path {{dir.Path}}/uwsgi;
                scgi_temp_path {{dir.Path}}/scgi;
                {{serverBlock}}
            }
            """);
        return [Binary, "-p", dir.Path, "-e", dir.File("error.log"), "-c", conf];
    }

    public static string ErrorLog(TempDirectory dir) => File.Exists(dir.File("error.log")) ? File.ReadAllText(dir.File("error.log")) : "(no error.log)";
}
