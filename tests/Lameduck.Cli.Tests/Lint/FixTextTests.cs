namespace Lameduck.Cli.Tests.Lint;

/// <summary>LD006's fix is written for what the container runs and always fits the pod's own grace period.</summary>
public class FixTextTests
{
    private static string Pod(string image, int grace, string extra = "") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          terminationGracePeriodSeconds: {grace}
          containers:
            - name: c
              image: {image}
        {extra}      ports:
                - containerPort: 8080
              readinessProbe:
                tcpSocket: {"{"}port: 8080{"}"}

        """;

    private static string Ld006Fix(string yaml, params string[] args)
    {
        var run = LintRun.InvokeOnText(yaml, ["--format", "json", .. args]);
        return Assert.Single(run.Findings(), f => f.GetProperty("rule").GetString() == "LD006").GetProperty("fix").GetString()!;
    }

    [Fact]
    public void A_dotnet_service_gets_the_library_delay_shortened_to_its_budget()
    {
        var fix = Ld006Fix(Pod("mcr.microsoft.com/dotnet/aspnet:9.0", 10));
        Assert.Contains("Lameduck__Delay: \"00:00:04\"", fix);          // (10 s - 2 s margin) / 2: half is left to drain
        Assert.Contains("10 s grace period: 4 s left to drain", fix);
    }

    [Fact]
    public void A_server_with_a_preset_gets_lameduck_init_with_that_preset()
    {
        var fix = Ld006Fix(Pod("ubuntu:24.04", 30, "      command: [\"nginx\", \"-g\", \"daemon off;\"]\n"));
        Assert.Contains("lameduck-init --preset nginx --delay 5s", fix);
        Assert.DoesNotContain("Lameduck__", fix);
    }

    [Fact]
    public void Anything_else_gets_a_preStop_sleep_native_or_not_by_kubernetes_version()
    {
        var native = Ld006Fix(Pod("golang-app.example/api:1.0", 30));
        Assert.Contains("lifecycle.preStop.sleep.seconds: 5", native);
        Assert.DoesNotContain("Lameduck__", native);
        Assert.Contains("preStop exec [\"sleep\", \"5\"]", Ld006Fix(Pod("golang-app.example/api:1.0", 30), "--kube-version", "1.29"));
    }

    [Fact]
    public void A_grace_period_too_short_for_any_delay_is_named()
    {
        var fix = Ld006Fix(Pod("golang-app.example/api:1.0", 3));
        Assert.Contains("terminationGracePeriodSeconds 3 s leaves no room for a delay: raise it to 12", fix);
    }
}
