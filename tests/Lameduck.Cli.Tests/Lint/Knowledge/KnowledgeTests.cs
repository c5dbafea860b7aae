using Lameduck.Cli.Lint.Knowledge;
using Lameduck.Cli.Lint.Model;
using Lameduck.Contract.Presets;
using Lameduck.Contract.Signals;

namespace Lameduck.Cli.Tests.Lint.Knowledge;

/// <summary>The documented knowledge: image references, stop signals, shell-less images, signal names.</summary>
public class KnowledgeTests
{
    [Theory]
    [InlineData("nginx", "docker.io", "nginx", "latest")]
    [InlineData("nginx:1.27-alpine", "docker.io", "nginx", "1.27-alpine")]
    [InlineData("docker.io/library/nginx:1.27", "docker.io", "nginx", "1.27")]
    [InlineData("nginxinc/nginx-unprivileged:1.27", "docker.io", "nginxinc/nginx-unprivileged", "1.27")]
    [InlineData("gcr.io/distroless/static-debian12:nonroot", "gcr.io", "distroless/static-debian12", "nonroot")]
    [InlineData("localhost:5000/app:dev", "localhost:5000", "app", "dev")]
    [InlineData("nginx@sha256:0123abcd", "docker.io", "nginx", "")]
    public void Image_references_split_like_the_runtime_reads_them(string image, string registry, string repository, string tag)
    {
        Assert.Equal(new ImageReference(registry, repository, tag), ImageReference.Parse(image));
    }

    [Theory]
    [InlineData("nginx:1.27", "QUIT")]
    [InlineData("nginxinc/nginx-unprivileged:stable", "QUIT")]
    [InlineData("php:8.3-fpm-alpine", "QUIT")]
    [InlineData("php:8.3-apache", "WINCH")]
    [InlineData("httpd:2.4", "WINCH")]
    [InlineData("haproxy:3.0", "USR1")]
    [InlineData("php:8.3-cli", null)]
    [InlineData("bitnami/nginx:1.27", null)]
    [InlineData("ubuntu:24.04", null)]
    [InlineData("public.ecr.aws/docker/library/nginx:1.25-alpine", "QUIT")]
    [InlineData("mirror.gcr.io/library/nginx:1.27.3", "QUIT")]
    [InlineData("harbor.corp.example/dockerhub/library/nginx:1.17.10", "TERM")]
    [InlineData("cache.example/docker.io/library/php:8.2-fpm", "QUIT")]
    [InlineData("cache.example/docker.io/nginxinc/nginx-unprivileged:1.18", "TERM")]
    [InlineData("cache.example/dockerhub/nginxinc/nginx-unprivileged:1.27", "QUIT")]
    [InlineData("nginx:1.19.4", "TERM")]
    [InlineData("nginx:1.19.5", "QUIT")]
    [InlineData("nginx:1.19", "QUIT")]
    [InlineData("php:7.0-fpm", "TERM")]
    [InlineData("ghcr.io/example/library-tools/nginx:1.0", null)]
    public void Official_images_are_known_by_their_stop_signal(string image, string? signal)
    {
        Assert.Equal(signal, KnownImages.StopSignalOf(ImageReference.Parse(image)));
    }

    [Theory]
    [InlineData("nginx:1.27", "", "", "nginx")]
    [InlineData("nginx:1.27", "", "-g|daemon off;", "nginx")]
    [InlineData("nginx:1.27", "/bin/sleep|infinity", "", null)]
    [InlineData("nginx:1.27", "/app/start.sh", "", null)]
    [InlineData("nginx:1.27", "", "sh", null)]
    [InlineData("nginx:1.27", "supervisord|-n", "", "nginx")]
    [InlineData("nginx:1.27", "tini|--|nginx|-g|daemon off;", "", "nginx")]
    [InlineData("bitnami/nginx:1.27", "", "/opt/bitnami/scripts/nginx/run.sh", "nginx")]
    [InlineData("ubuntu:24.04", "haproxy|-f|/etc/haproxy/haproxy.cfg", "", "haproxy")]
    public void A_command_that_replaces_the_images_start_decides_whether_its_server_runs(string image, string command, string args, string? server)
    {
        static string[] Words(string text) => text.Length == 0 ? [] : text.Split('|');
        Assert.Equal(server, ServerPresets.StartedBy(ImageReference.Parse(image), Words(command), Words(args))?.Name);
    }

    [Theory]
    [InlineData("gcr.io/distroless/static-debian12", true)]
    [InlineData("gcr.io/distroless/base-debian12:debug-nonroot", false)]
    [InlineData("cgr.dev/chainguard/static", true)]
    [InlineData("cgr.dev/chainguard/node:latest-dev", false)]
    [InlineData("cgr.dev/chainguard/wolfi-base", false)]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:9.0-noble-chiseled", true)]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:9.0", false)]
    [InlineData("example.com/team/api-distroless:2", true)]
    [InlineData("scratch", true)]
    [InlineData("alpine:3.20", false)]
    [InlineData("debian:12-slim", false)]
    public void Shell_less_images_by_list_and_name_heuristics(string image, bool shellLess)
    {
        Assert.Equal(shellLess, KnownImages.ShellLessReason(ImageReference.Parse(image)) is not null);
    }

    [Theory]
    [InlineData("SIGQUIT", "QUIT")]
    [InlineData("quit", "QUIT")]
    [InlineData("3", "QUIT")]
    [InlineData("10", "USR1")]
    [InlineData("SIGWINCH", "WINCH")]
    [InlineData("SIGBOGUS", null)]
    public void Signal_names_normalise(string text, string? expected) => Assert.Equal(expected, SignalTable.Normalize(text));

    [Theory]
    [InlineData("nginx -g 'daemon off;'", false)]
    [InlineData("envsubst < a > b && exec nginx -g 'daemon off;'", true)]
    [InlineData("exec php-fpm", true)]
    [InlineData("set -e\nexec haproxy -f /etc/haproxy.cfg", true)]
    [InlineData("echo executing; nginx", false)]
    public void Shell_scripts_that_exec_their_server_pass_signals_on(string script, bool execs)
    {
        Assert.Equal(execs, ShellWords.ExecsIntoCommand(script));
    }
}
