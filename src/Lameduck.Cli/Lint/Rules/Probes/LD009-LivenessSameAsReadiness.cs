using Lameduck.Cli.Lint.Model;
using System.Text;
using Lameduck.Cli.Lint.Input;

namespace Lameduck.Cli.Lint.Rules.Probes;

/// <summary>LD009: the liveness probe checks exactly what the readiness probe checks.</summary>
internal sealed class LivenessSameAsReadiness : ContainerRule
{
    private static readonly string[] Handlers = ["httpGet", "tcpSocket", "exec", "grpc"];

    // Probes are a handful of nodes; the budget keeps a hostile alias-heavy probe from expanding.
    private const int CompareBudget = 1000;

    public override string Id => "LD009";
    public override string Name => "LivenessProbeSameAsReadiness";
    public override Severity Severity => Severity.Warning;
    public override string Summary => "The liveness probe calls the same endpoint as the readiness probe and can give up within the grace period.";

    public override string Why =>
        "A graceful app fails readiness on purpose while it shuts down (and when it is overloaded) so that traffic moves " +
        "elsewhere. If liveness asks the same question and gives up within the grace period (failureThreshold x " +
        "periodSeconds, 3 x 10 s by default), the kubelet counts those failures as a dead process and restarts the " +
        "container mid-drain, killing the requests it was finishing; kubelets that still probe liveness on terminating pods " +
        "(before the fix of kubernetes/kubernetes#98571) do it on every rollout, every kubelet does it on overload, on every " +
        "replica at once. Liveness should only ask \"is the process stuck?\".";

    public override string FixYaml => """
        readinessProbe:
          httpGet: { path: /healthz/ready, port: http }   # fails while lame duck
        livenessProbe:
          httpGet: { path: /healthz/live, port: http }    # stays healthy until exit
          periodSeconds: 10
          failureThreshold: 3
        """;

    public override string NotReported =>
        "Liveness probes that differ from the readiness probe in handler, path or port, and identical ones tolerant enough (periodSeconds x failureThreshold) to outlast the grace period.";

    protected override IEnumerable<Finding> Check(Workload workload, Container container, LintContext context)
    {
        if (container.Liveness is not { } liveness || container.Readiness is not { } readiness) yield break;
        var live = HandlerText(liveness);
        if (live is null || live != HandlerText(readiness)) yield break;
        // A liveness probe this tolerant cannot restart the container before the grace period is over.
        var restartAfter = ProbeField(liveness, "periodSeconds", 10) * ProbeField(liveness, "failureThreshold", 3);
        if (restartAfter > workload.Pod.GracePeriodSeconds) yield break;
        yield return Report(workload.Object, container, container.Node.Find("livenessProbe")!.Key,
            $"livenessProbe makes the same {Describe(liveness)} check as readinessProbe and restarts the container after {restartAfter} s " +
            $"of failures, within the {workload.Pod.GracePeriodText} grace period: when readiness fails on purpose (shutdown, overload) the container is killed mid-drain",
            "point livenessProbe at a liveness-only endpoint (Lameduck.AspNetCore: /healthz/live), or make it tolerate longer than the grace period");
    }

    private static long ProbeField(YamlMapping probe, string field, long fallback) => probe.ScalarAt(field).AsInteger() ?? fallback;

    private static string Describe(YamlMapping probe)
    {
        if (probe.MappingAt("httpGet") is { } http) return $"HTTP GET {http.TextAt("path") ?? "/"} (port {http.TextAt("port")})";
        if (probe.MappingAt("tcpSocket") is { } tcp) return $"TCP connect (port {tcp.TextAt("port")})";
        if (probe.MappingAt("grpc") is { } grpc) return $"gRPC health (port {grpc.TextAt("port")})";
        return "exec";
    }

    // A canonical text of the probe's handler (key order ignored), or null when it has none or is too big.
    private static string? HandlerText(YamlMapping probe)
    {
        foreach (var name in Handlers)
        {
            if (probe[name] is not { } handler) continue;
            var text = new StringBuilder(name);
            int budget = CompareBudget;
            return Append(handler, text, ref budget) ? text.ToString() : null;
        }
        return null;
    }

    private static bool Append(YamlNode node, StringBuilder text, ref int budget)
    {
        if (--budget < 0) return false;
        switch (node)
        {
            case YamlScalar s:
                text.Append('=').Append(s.Value);
                return true;
            case YamlSequence q:
                text.Append('[');
                foreach (var item in q.Items)
                {
                    if (!Append(item, text, ref budget)) return false;
                    text.Append(',');
                }
                text.Append(']');
                return true;
            case YamlMapping m:
                text.Append('{');
                foreach (var entry in m.Entries.OrderBy(e => e.KeyText, StringComparer.Ordinal))
                {
                    text.Append(entry.KeyText);
                    if (!Append(entry.Value, text, ref budget)) return false;
                    text.Append(',');
                }
                text.Append('}');
                return true;
            default:
                return false;
        }
    }
}
