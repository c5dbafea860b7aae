using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Tests.Inject;

/// <summary>What each kind of container becomes, on realistic manifests (tests/.../Inject/Manifests).</summary>
public class MutationTests
{
    private static InjectRun.Outcome Inject(string manifest, params string[] args)
    {
        var run = InjectRun.Invoke([Manifest.Path(manifest), .. args]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run;
    }

    [Fact]
    public void Dotnet_service_using_the_library_gets_its_budget_from_the_pod_spec()
    {
        var run = Inject("dotnet-library.yaml");

        var workload = Manifest.Workload(run, "Deployment/orders");
        var orders = Manifest.Container(run, "Deployment/orders", "orders");
        // preStop 10 s + Delay 20 s + 2 s margin + 10 s drain = 42 s > the default 30 s: raised, and told to the app.
        Assert.Equal(42, workload.Pod.GracePeriodSeconds);
        Assert.Equal("00:00:42", orders.Env("Lameduck__GracePeriod"));
        Assert.Equal("00:00:10", orders.Env("Lameduck__PreStop"));
        Assert.Equal("00:00:20", orders.Env("Lameduck__Delay")); // the app's own, untouched
        Assert.Equal(10, orders.PreStop!.SleepSeconds);           // the hook is kept
        Assert.Empty(workload.InitContainers());                   // no binary needed
        Assert.Equal("orders: library", workload.Annotation("lameduck.dev/status"));
        Assert.Equal("true", workload.Annotation("prometheus.io/scrape"));
        Assert.Equal("", run.Stderr.Split('\n').FirstOrDefault(l => l.Contains("warning", StringComparison.Ordinal)) ?? "");
    }

    [Fact]
    public void Official_nginx_without_a_command_runs_under_lameduck_init_with_the_images_own_start_command()
    {
        var run = Inject("nginx-official.yaml");

        var workload = Manifest.Workload(run, "Deployment/web");
        var nginx = Manifest.Container(run, "Deployment/web", "nginx");
        Assert.Equal(["/lameduck/lameduck-init", "--preset", "nginx", "--"], nginx.CommandWords());
        Assert.Equal(["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], nginx.ArgWords());
        Assert.Equal("45s", nginx.Env("LAMEDUCK_GRACE_PERIOD"));   // the pod's 45 s, which already fits 5 + 2 + 10
        Assert.Equal(45, workload.Pod.GracePeriodSeconds);
        Assert.Contains(("lameduck", "/lameduck", true), nginx.Mounts());

        var init = Assert.Single(workload.InitContainers());
        Assert.Equal("lameduck-init", init.TextAt("name"));
        Assert.Equal("ghcr.io/lameduck-dev/lameduck-init:0.1.0", init.TextAt("image"));
        Assert.Equal(["/lameduck-init", "install", "/lameduck"], Manifest.Strings(init, "command"));
        Assert.NotNull(workload.Volumes()["lameduck"].MappingAt("emptyDir"));
        Assert.Equal("nginx: lameduck-init (preset nginx)", workload.Annotation("lameduck.dev/status"));
    }

    [Fact]
    public void Official_nginx_with_its_own_args_keeps_the_images_entrypoint_in_front_of_them()
    {
        var nginx = Manifest.Container(Inject("nginx-args.yaml"), "Pod/web-debug", "nginx");

        Assert.Equal(["/lameduck/lameduck-init", "--preset", "nginx", "--"], nginx.CommandWords());
        Assert.Equal(["/docker-entrypoint.sh", "nginx-debug", "-g", "daemon off;"], nginx.ArgWords());
    }

    [Fact]
    public void Nginx_started_by_its_own_command_keeps_command_and_args_and_drops_the_image_defaults()
    {
        var nginx = Manifest.Container(Inject("nginx-command.yaml"), "Deployment/legacy-web", "nginx");

        Assert.Equal(["/lameduck/lameduck-init", "--preset", "nginx", "--"], nginx.CommandWords());
        Assert.Equal(["/usr/sbin/nginx", "-g", "daemon off;", "-c", "/etc/nginx/nginx.conf"], nginx.ArgWords());
    }

    [Fact]
    public void Php_fpm_behind_nginx_both_run_under_lameduck_init_from_one_init_container()
    {
        var run = Inject("php-fpm.yaml");

        var workload = Manifest.Workload(run, "Deployment/shop");
        var php = Manifest.Container(run, "Deployment/shop", "php");
        Assert.Equal(["/lameduck/lameduck-init", "--preset", "php-fpm", "--"], php.CommandWords());
        Assert.Equal(["docker-php-entrypoint", "php-fpm"], php.ArgWords());
        Assert.Equal(["/lameduck/lameduck-init", "--preset", "nginx", "--"], Manifest.Container(run, "Deployment/shop", "nginx").CommandWords());
        Assert.Single(workload.InitContainers());
        Assert.Single(workload.Volumes());
    }

    [Theory]
    [InlineData("php-apache.yaml", "Deployment/blog", "app", "apache", new[] { "docker-php-entrypoint", "apache2-foreground" })]
    [InlineData("httpd.yaml", "Deployment/static", "httpd", "apache", new[] { "httpd-foreground" })]
    [InlineData("haproxy.yaml", "Deployment/edge", "haproxy", "haproxy", new[] { "docker-entrypoint.sh", "haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg" })]
    public void Official_server_images_keep_their_start_command(string manifest, string id, string container, string preset, string[] startCommand)
    {
        var run = Inject(manifest);

        var c = Manifest.Container(run, id, container);
        Assert.Equal(["/lameduck/lameduck-init", "--preset", preset, "--"], c.CommandWords());
        Assert.Equal(startCommand, c.ArgWords());
    }

    [Fact]
    public void Haproxy_keeps_its_own_volume_next_to_the_new_one()
    {
        var workload = Manifest.Workload(Inject("haproxy.yaml"), "Deployment/edge");

        Assert.Equal(["config", "lameduck"], workload.Volumes().Keys.Order());
        Assert.Equal(["config", "lameduck"], workload.Pod.Containers[0].Mounts().Select(m => m.Name));
    }

    [Fact]
    public void Go_app_gets_the_native_preStop_sleep_from_Kubernetes_1_30()
    {
        var run = Inject("go-app.yaml", "--kube-version", "1.30");

        var workload = Manifest.Workload(run, "Deployment/api");
        var api = Manifest.Container(run, "Deployment/api", "api");
        Assert.Equal(Cli.Lint.Model.PreStopKind.Sleep, api.PreStop!.Kind);
        Assert.Equal(5, api.PreStop.SleepSeconds);
        Assert.Equal(["/app/api"], api.CommandWords()); // its command is untouched
        Assert.Empty(workload.InitContainers());        // the kubelet sleeps: no binary needed
        Assert.Equal("api: preStop sleep 5s", workload.Annotation("lameduck.dev/status"));
    }

    [Fact]
    public void Go_app_before_Kubernetes_1_30_sleeps_with_lameduck_init_from_the_init_container()
    {
        var run = Inject("go-app.yaml", "--kube-version", "1.29");

        var workload = Manifest.Workload(run, "Deployment/api");
        var api = Manifest.Container(run, "Deployment/api", "api");
        Assert.Equal(Cli.Lint.Model.PreStopKind.Exec, api.PreStop!.Kind);
        Assert.Equal(["/lameduck/lameduck-init", "sleep", "5s"], api.PreStop.ExecCommand);
        Assert.Contains(("lameduck", "/lameduck", true), api.Mounts());
        Assert.Single(workload.InitContainers());
    }

    [Fact]
    public void Kube_version_annotation_overrides_the_flag()
    {
        var yaml = Manifest.Text("go-app.yaml").Replace("lameduck.dev/inject: \"true\"", "lameduck.dev/inject: \"true\"\n        lameduck.dev/kube-version: \"1.28\"", StringComparison.Ordinal);

        var api = Manifest.Container(InjectRun.OnText(yaml, "--kube-version", "1.31"), "Deployment/api", "api");

        Assert.Equal(Cli.Lint.Model.PreStopKind.Exec, api.PreStop!.Kind);
    }

    [Fact]
    public void Alpine_images_before_1_30_sleep_with_their_own_busybox_since_lameduck_init_needs_glibc()
    {
        var yaml = Manifest.Text("go-app.yaml").Replace("gcr.io/distroless/base-debian12:nonroot", "registry.example.com/api:2.0-alpine", StringComparison.Ordinal);

        var run = InjectRun.OnText(yaml, "--kube-version", "1.29");

        var api = Manifest.Container(run, "Deployment/api", "api");
        Assert.Equal(["sleep", "5"], api.PreStop!.ExecCommand);
        Assert.Empty(Manifest.Workload(run, "Deployment/api").InitContainers());
    }

    [Fact]
    public void Official_nginx_alpine_gets_a_preStop_sleep_because_lameduck_init_cannot_run_there_and_its_STOPSIGNAL_is_graceful()
    {
        var yaml = Manifest.Text("nginx-official.yaml").Replace("nginx:1.27", "nginx:1.27-alpine", StringComparison.Ordinal);

        var nginx = Manifest.Container(InjectRun.OnText(yaml), "Deployment/web", "nginx");

        Assert.Empty(nginx.Command);
        Assert.Equal(5, nginx.PreStop!.SleepSeconds);
    }

    /// <summary>
    /// The pod's whole budget goes to lameduck-init as its own settings: the grace period (counted, as the kubelet counts
    /// it, from the start of termination) and the preStop that runs inside it, so it kills at grace − preStop − margin.
    /// </summary>
    [Fact]
    public void A_server_with_a_preStop_sleep_tells_lameduck_init_the_grace_period_and_the_preStop_inside_it()
    {
        var yaml = Manifest.Text("nginx-official.yaml").Replace("        readinessProbe:",
            "        lifecycle: {preStop: {sleep: {seconds: 3}}}\n        readinessProbe:", StringComparison.Ordinal);

        var run = InjectRun.OnText(yaml);

        var nginx = Manifest.Container(run, "Deployment/web", "nginx");
        Assert.Equal("45s", nginx.Env("LAMEDUCK_GRACE_PERIOD"));
        Assert.Equal("3s", nginx.Env("LAMEDUCK_PRE_STOP"));
        Assert.Equal(3, nginx.PreStop!.SleepSeconds); // the hook is kept
        // Injecting again reads those settings back with lameduck-init's grammar: nothing changes.
        Assert.Equal(run.Stdout, InjectRun.OnText(run.Stdout).Stdout);
    }

    [Fact]
    public void A_container_already_under_lameduck_init_gets_the_budget_where_lameduck_init_reads_it_the_flag_over_its_variable()
    {
        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata:
                  labels: {app: web}
                  annotations: {lameduck.dev/inject: "true"}
                spec:
                  terminationGracePeriodSeconds: 40
                  containers:
                  - name: app
                    image: example.com/app:1
                    command: ["/lameduck/lameduck-init", "--grace-period", "30s", "--"]
                    args: ["/app"]
                    env:
                    - {name: LAMEDUCK_GRACE_PERIOD, value: "99s"}
                    lifecycle: {preStop: {sleep: {seconds: 4}}}
            """;

        var app = Manifest.Container(InjectRun.OnText(yaml), "Deployment/web", "app");

        // The flag is what lameduck-init uses (it wins over LAMEDUCK_GRACE_PERIOD): that is where the pod's 40 s goes.
        Assert.Equal(["/lameduck/lameduck-init", "--grace-period", "40s", "--"], app.CommandWords());
        Assert.Equal("99s", app.Env("LAMEDUCK_GRACE_PERIOD")); // ignored by lameduck-init, left as it was
        Assert.Equal("4s", app.Env("LAMEDUCK_PRE_STOP"));
    }

    [Theory]
    [InlineData(60, 60, "1m")]   // more than enough: kept
    [InlineData(17, 17, "17s")]  // exactly 0 + 5 + 2 + 10: kept
    [InlineData(16, 17, "17s")]  // one short: raised by one
    [InlineData(5, 17, "17s")]   // 5 s cannot hold the 5 s lame duck
    public void Grace_period_is_raised_only_as_far_as_the_budget_needs_and_never_lowered(int before, int after, string told)
    {
        var yaml = Manifest.Text("nginx-official.yaml").Replace("terminationGracePeriodSeconds: 45", $"terminationGracePeriodSeconds: {before}", StringComparison.Ordinal);

        var run = InjectRun.OnText(yaml);

        var workload = Manifest.Workload(run, "Deployment/web");
        Assert.Equal(after, workload.Pod.GracePeriodSeconds);
        Assert.Equal(told, workload.Pod.Containers[0].Env("LAMEDUCK_GRACE_PERIOD"));
        if (before == after) Assert.Contains($"terminationGracePeriodSeconds: {before}\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Delay_annotation_reaches_every_kind_of_container_and_the_budget()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: mixed
              annotations:
                lameduck.dev/inject: "true"
                lameduck.dev/delay: 20s
            spec:
              containers:
                - name: api
                  image: registry.example.com/api:1
                  env: [{name: Lameduck__GracePeriod, value: "00:00:30"}]
                - name: nginx
                  image: nginx:1.27
                - name: worker
                  image: registry.example.com/worker:1
            """;

        var run = InjectRun.OnText(yaml);

        var pod = Manifest.Workload(run, "Pod/mixed");
        Assert.Equal(32, pod.Pod.GracePeriodSeconds); // 20 + 2 + 10
        Assert.Equal("00:00:20", Manifest.Container(run, "Pod/mixed", "api").Env("Lameduck__Delay"));
        Assert.Equal("00:00:32", Manifest.Container(run, "Pod/mixed", "api").Env("Lameduck__GracePeriod"));
        Assert.Equal("20s", Manifest.Container(run, "Pod/mixed", "nginx").Env("LAMEDUCK_DELAY"));
        Assert.Equal(20, Manifest.Container(run, "Pod/mixed", "worker").PreStop!.SleepSeconds);
    }

    [Fact]
    public void Containers_annotation_names_a_library_user_inject_could_not_recognise_and_skips_another()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: named
              annotations:
                lameduck.dev/inject: "true"
                lameduck.dev/containers: "api=library, envoy=skip"
            spec:
              containers:
                - name: api
                  image: registry.example.com/api:1
                - name: envoy
                  image: envoyproxy/envoy:v1.31
            """;

        var run = InjectRun.OnText(yaml);

        var api = Manifest.Container(run, "Pod/named", "api");
        Assert.Equal("00:00:30", api.Env("Lameduck__GracePeriod"));
        Assert.Equal("00:00:00", api.Env("Lameduck__PreStop"));
        var envoy = Manifest.Container(run, "Pod/named", "envoy");
        Assert.Null(envoy.PreStop);
        Assert.Contains("envoy: left alone: lameduck.dev/containers says skip", Manifest.Workload(run, "Pod/named").Annotation("lameduck.dev/status"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lameduck.dev/delay: soon", "lameduck.dev/delay: 'soon' is not a duration")]
    [InlineData("lameduck.dev/kube-version: latest", "lameduck.dev/kube-version: 'latest' is not a Kubernetes version")]
    [InlineData("lameduck.dev/containers: \"nginx=magic\"", "'nginx=magic' is not NAME=MODE")]
    [InlineData("lameduck.dev/containers: \"php=skip\"", "there is no container 'php'")]
    public void Unreadable_annotations_leave_the_workload_alone_and_say_which(string annotation, string message)
    {
        var yaml = Manifest.Text("nginx-official.yaml").Replace("annotations: {lameduck.dev/inject: \"true\"}", $"annotations:\n        lameduck.dev/inject: \"true\"\n        {annotation}", StringComparison.Ordinal);

        var run = InjectRun.OnText(yaml);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(yaml, run.Stdout);
        Assert.Contains($"warning: Deployment/web left alone: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registry.example.com/shop/php-fpm:8.2", null, "whose start command inject does not know")]
    [InlineData("nginx:1.27", "command: [\"/bin/sh\", \"-c\", \"envsubst < /t > /etc/nginx/conf.d/default.conf && nginx -g 'daemon off;'\"]", "shell script that does not exec it")]
    [InlineData("nginx:1.27", "command: [\"supervisord\", \"-n\"]", "supervisord supervises it")]
    [InlineData("nginx:1.27", "command: [\"tini\", \"--\", \"nginx\", \"-g\", \"daemon off;\"]", "already runs under tini")]
    [InlineData("registry.example.com/api:1", "lifecycle: {preStop: {httpGet: {path: /drain, port: 8080}}}", "not a plain sleep (an HTTP or TCP call)")]
    [InlineData("gcr.io/distroless/static-debian12", "lifecycle: {preStop: {exec: {command: [\"kill\", \"-QUIT\", \"1\"]}}}", "not a plain sleep (exec 'kill -QUIT 1')")]
    public void Containers_inject_cannot_understand_are_left_alone_with_the_reason_on_stderr(string image, string? extra, string reason)
    {
        var yaml = $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: odd
              annotations: {"{"}lameduck.dev/inject: "true"{"}"}
            spec:
              containers:
                - name: odd
                  image: {image}
            {(extra is null ? "" : "      " + extra + "\n")}
            """;

        var run = InjectRun.OnText(yaml);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"warning: Pod/odd: container 'odd' left alone: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
        var odd = Manifest.Container(run, "Pod/odd", "odd");
        var original = Cli.Lint.Model.Workload.From(Cli.Lint.Model.ManifestSet.From(YamlLoader.Load(new SourceFile("in"), yaml)).Objects[0])!.Pod.Containers[0];
        Assert.Equal(original.Node.Entries.Count, odd.Node.Entries.Count); // nothing added to it
        Assert.Contains("odd: left alone: ", Manifest.Workload(run, "Pod/odd").Annotation("lameduck.dev/status"), StringComparison.Ordinal);
    }

    [Fact]
    public void Shell_script_that_execs_the_server_is_wrapped()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: templated
              annotations: {lameduck.dev/inject: "true"}
            spec:
              containers:
                - name: nginx
                  image: nginx:1.27
                  command: ["/bin/sh", "-c", "envsubst < /t > /etc/nginx/conf.d/default.conf && exec nginx -g 'daemon off;'"]
            """;

        var nginx = Manifest.Container(InjectRun.OnText(yaml), "Pod/templated", "nginx");

        Assert.Equal(["/lameduck/lameduck-init", "--preset", "nginx", "--"], nginx.CommandWords());
        Assert.Equal("/bin/sh", nginx.ArgWords()[0]);
    }

    [Fact]
    public void Existing_lameduck_init_gets_the_grace_period_through_its_own_flag_and_a_zero_delay_replaced()
    {
        var yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: legacy
              annotations: {lameduck.dev/inject: "true"}
            spec:
              terminationGracePeriodSeconds: 20
              containers:
                - name: legacy
                  image: registry.example.com/legacy:1
                  command: ["/lameduck/lameduck-init", "--grace-period", "60s", "--delay=0s", "--", "/app/server"]
            """;

        var legacy = Manifest.Container(InjectRun.OnText(yaml), "Pod/legacy", "legacy");

        Assert.Equal(["/lameduck/lameduck-init", "--grace-period", "20s", "--delay=5s", "--", "/app/server"], legacy.CommandWords());
        Assert.Null(legacy.Env("LAMEDUCK_GRACE_PERIOD"));
    }

    [Fact]
    public void A_pod_spec_whose_containers_are_not_a_list_is_left_alone_not_a_crash()
    {
        var yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: x, annotations: {lameduck.dev/inject: \"true\"}}\nspec:\n  containers: nginx\n";

        var run = InjectRun.OnText(yaml);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(yaml, run.Stdout);
        Assert.Contains("Pod/x left alone: its pod spec has no list of containers", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_workloads_are_left_alone()
    {
        var yaml = """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate}
            spec:
              template:
                metadata: {annotations: {lameduck.dev/inject: "true"}}
                spec:
                  restartPolicy: Never
                  containers: [{name: migrate, image: registry.example.com/migrate:1}]
            """;

        var run = InjectRun.OnText(yaml);

        Assert.Equal(yaml, run.Stdout);
        Assert.Contains("Job/migrate left alone: Job pods run to completion", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Workloads_that_do_not_opt_in_or_opt_out_are_not_touched()
    {
        var yaml = Manifest.Text("nginx-official.yaml");
        var optedOut = yaml.Replace("lameduck.dev/inject: \"true\"", "lameduck.dev/inject: \"false\"", StringComparison.Ordinal);
        var silent = yaml.Replace("annotations: {lameduck.dev/inject: \"true\"}", "annotations: {team: web}", StringComparison.Ordinal);

        Assert.Equal(optedOut, InjectRun.OnText(optedOut).Stdout);
        var run = InjectRun.OnText(silent);
        Assert.Equal(silent, run.Stdout);
        Assert.Contains("no workload opted in", run.Stderr, StringComparison.Ordinal);
    }
}
