using Lameduck.Cli.Lint.Knowledge;

namespace Lameduck.Cli.Lint.Model;

/// <summary>
/// Whether, where and how a workload's pods get traffic: which Services of its scope (same input set, same
/// namespace) select the pod template on which ports, which Ingresses or Gateway routes send traffic to those
/// Services, and so which containers serve. Rules about serving (LD005, LD006, LD007) decide from this.
/// </summary>
internal sealed class WorkloadTraffic
{
    private WorkloadTraffic(IReadOnlyList<Container> serving, IReadOnlyList<KubeObject> services, IReadOnlyList<KubeObject> routes, string? notServing)
    {
        Serving = serving;
        Services = services;
        Routes = routes;
        NotServingReason = notServing;
    }

    /// <summary>The containers that receive traffic; empty when the workload serves none.</summary>
    public IReadOnlyList<Container> Serving { get; }

    /// <summary>The Services that send traffic to the pods (metrics-only Services are not counted).</summary>
    public IReadOnlyList<KubeObject> Services { get; }

    /// <summary>Ingresses and Gateway API routes that send traffic to those Services.</summary>
    public IReadOnlyList<KubeObject> Routes { get; }

    /// <summary>True when a Service of the input set routes traffic to the pods (not only a declared port).</summary>
    public bool RoutedByService => Services.Count > 0;

    /// <summary>Why the workload is judged not to serve (for docs and debugging); null when it serves.</summary>
    public string? NotServingReason { get; }

    /// <summary>How messages name where the traffic comes from: <c>Service/web (via Ingress/web)</c>, or the declared port.</summary>
    public string Describe()
    {
        if (Services.Count == 0) return "a declared containerPort (no Service of the input selects it)";
        var via = Routes.Count == 0 ? "" : $" (via {string.Join(", ", Routes.Select(r => r.Id))})";
        return string.Join(", ", Services.Select(s => s.Id)) + via;
    }

    /// <summary>Works out the traffic of <paramref name="workload"/> from the objects of its scope.</summary>
    public static WorkloadTraffic Of(Workload workload, ManifestSet set)
    {
        if (workload.IsBatch) return None("it runs to completion (Job/CronJob)");
        var containers = workload.Pod.Containers;
        var candidates = containers.Where(c => !TrafficRoles.IsIdle(c) && !TrafficRoles.IsMetricsContainer(c)).ToList();
        if (candidates.Count == 0) return None("its containers only sleep or export metrics");

        var nearby = set.ServicesNear(workload.Object);
        var selecting = nearby.Where(s => s.Selects(workload)).ToList();
        var serving = new List<Container>();
        var services = new List<KubeObject>();
        foreach (var service in selecting)
        {
            if (TrafficRoles.IsMetricsService(service.Service)) continue;
            bool routes = false;
            foreach (var port in service.Ports.Count > 0 ? service.Ports : [new ServicePort(null, null, null)])
            {
                if (TrafficRoles.IsMetricsPort(port.Name) || TrafficRoles.IsMetricsPort(port.TargetPort)) continue;
                var target = port.TargetPort;
                var container = target is null ? null : candidates.FirstOrDefault(c => c.Declares(target));
                if (container is null)
                {
                    // A port declared by an exporter, a metrics proxy or a sleeping container is not traffic; a port no
                    // container declares reaches whatever listens on it, the app container.
                    if (target is not null && containers.Any(c => c.Declares(target))) continue;
                    container = candidates[0];
                }
                if (!serving.Contains(container)) serving.Add(container);
                routes = true;
            }
            if (routes) services.Add(service.Service);
        }
        if (services.Count > 0)
        {
            var routesTo = services.SelectMany(set.RoutesTo).Distinct().ToList();
            return new WorkloadTraffic([.. containers.Where(serving.Contains)], services, routesTo, null);
        }
        if (selecting.Count > 0) return None("only metrics Services select it");
        if (nearby.Count > 0) return None("its namespace has Services in the input and none selects it");

        // No Service in sight (it may live in another repository): a declared port that is not a metrics or probe port.
        var declared = candidates.Where(c => c.Ports.Count > c.PortNames.Count(TrafficRoles.IsMetricsPort)).ToList();
        return declared.Count > 0
            ? new WorkloadTraffic(declared, [], [], null)
            : None("no Service selects it and it declares no port other than metrics or probes");
    }

    private static WorkloadTraffic None(string reason) => new([], [], [], reason);
}
