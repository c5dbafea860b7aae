using Lameduck.Cli.Lint.Input;
using Lameduck.Cli.Lint.Model;

namespace Lameduck.Cli.Tests.Webhook;

/// <summary>examples/kubernetes/webhook: what the issue asks of them, read from the files (they are also linted clean and model-checked with the other examples).</summary>
public class WebhookManifestsTests
{
    private static string Folder => Path.Combine(Lameduck.Testing.RepoPaths.Root, "examples", "kubernetes", "webhook");

    private static ManifestSet Read(string file) => ManifestSet.From(YamlLoader.Load(new SourceFile(file), File.ReadAllText(Path.Combine(Folder, file))));

    public static TheoryData<string> Configurations() => ["mutating-webhook-configuration.yaml", "cert-manager.yaml"];

    [Fact]
    public void Deployment_runs_two_replicas_kept_by_a_pdb_behind_a_service_with_lameduck_settings_the_command_accepts()
    {
        var set = Read("webhook.yaml");
        var deployment = set.Workloads.Single(w => w.Object.Kind == "Deployment");
        Assert.Equal("2", deployment.Object.Root.TextAt("spec", "replicas"));
        Assert.Equal("0", deployment.Object.Root.TextAt("spec", "strategy", "rollingUpdate", "maxUnavailable"));
        var pdb = set.Objects.Single(o => o.Kind == "PodDisruptionBudget");
        Assert.Equal("1", pdb.Root.TextAt("spec", "minAvailable"));
        Assert.Equal(deployment.PodLabels["app.kubernetes.io/name"], pdb.Root.TextAt("spec", "selector", "matchLabels", "app.kubernetes.io/name"));
        var service = set.Objects.Single(o => o.Kind == "Service");
        Assert.Equal("443", service.Root["spec"].At("ports").Items()[0].TextAt("port"));

        var container = deployment.Pod.Containers.Single();
        Assert.Equal("00:00:05", container.Env.Single(e => e.Name == "Lameduck__Delay").Value!.Value);
        Assert.Equal("/readyz", container.Readiness.TextAt("httpGet", "path"));
        Assert.Equal("/healthz", container.Liveness.TextAt("httpGet", "path"));
        // The command line in the manifest parses with the real command (its flags exist and their values are valid).
        var argv = container.Command.Select(c => c.Value).ToList();
        Assert.Equal("lameduck", argv[0]);
        var parsed = Program.BuildRootCommand().Parse(argv.Skip(1).ToArray());
        Assert.Empty(parsed.Errors);
        string Flag(string name) => argv.Single(a => a.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
        var (settings, error) = Cli.Webhook.WebhookCommand.Settings(Flag("--listen"), Flag("--cert"), Flag("--key"), Flag("--kube-version"),
            Cli.Inject.InjectSettings.DefaultInitImage, Flag("--timeout"), "10s");
        Assert.Null(error);
        Assert.Equal(8443, settings!.Listen.Port);
        Assert.Equal(container.Ports.Single().Value, settings.Listen.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Configuration_never_fails_admission_and_never_calls_the_webhook_for_itself_or_kube_system(string file)
    {
        var configuration = Read(file).Objects.Single(o => o.Kind == "MutatingWebhookConfiguration");
        var webhookPods = Read("webhook.yaml").Workloads.Single().PodLabels;
        var webhooks = configuration.Root["webhooks"].Items();
        Assert.Equal(["/mutate", "/mutate/all"], webhooks.Select(w => w.TextAt("clientConfig", "service", "path")));
        foreach (var webhook in webhooks)
        {
            Assert.Equal("Ignore", webhook.TextAt("failurePolicy"));
            Assert.Equal("None", webhook.TextAt("sideEffects"));
            Assert.InRange(int.Parse(webhook.TextAt("timeoutSeconds")!, System.Globalization.CultureInfo.InvariantCulture), 3, 9);
            var rule = webhook.At("rules").Items().Single();
            Assert.Equal(["CREATE"], rule.At("operations").Items().Select(i => ((YamlScalar)i).Value));
            Assert.Equal(["pods"], rule.At("resources").Items().Select(i => ((YamlScalar)i).Value));
            var excludedNamespaces = webhook.At("namespaceSelector", "matchExpressions").Items()
                .Single(e => e.TextAt("key") == "kubernetes.io/metadata.name" && e.TextAt("operator") == "NotIn")
                .At("values").Items().Select(i => ((YamlScalar)i).Value);
            Assert.Contains("kube-system", excludedNamespaces);
            Assert.Contains("lameduck-system", excludedNamespaces);
            var excludedPods = webhook.At("objectSelector", "matchExpressions").Items().Single();
            Assert.Equal("NotIn", excludedPods.TextAt("operator"));
            Assert.Contains(webhookPods[excludedPods.TextAt("key")!], excludedPods.At("values").Items().Select(i => ((YamlScalar)i).Value));
            Assert.Equal("lameduck-webhook", webhook.TextAt("clientConfig", "service", "name"));
        }
        // The two webhooks never both see one pod: the first skips the namespaces the second is for.
        Assert.Contains(webhooks[0].At("namespaceSelector", "matchExpressions").Items(), e => e.TextAt("key") == "lameduck.dev/inject" && e.TextAt("operator") == "NotIn");
        Assert.Contains(webhooks[1].At("namespaceSelector", "matchExpressions").Items(), e => e.TextAt("key") == "lameduck.dev/inject" && e.TextAt("operator") == "In");
    }

    [Fact]
    public void Cert_manager_certificate_names_the_service_and_lands_in_the_mounted_secret()
    {
        var certificate = Read("cert-manager.yaml").Objects.Single(o => o.Kind == "Certificate" && o.Name == "lameduck-webhook");
        var deployment = Read("webhook.yaml").Workloads.Single();

        var names = certificate.Root.At("spec", "dnsNames").Items().Select(i => ((YamlScalar)i).Value).ToList();
        Assert.Contains("lameduck-webhook.lameduck-system.svc", names);
        Assert.All(names, n => Assert.Contains(n, Cli.Webhook.Certificates.SelfSignedPair.ServiceNames("lameduck-webhook", "lameduck-system")));
        Assert.Equal(certificate.Root.TextAt("spec", "secretName"), deployment.Pod.Node["volumes"].Items().Single().TextAt("secret", "secretName"));
        Assert.Equal("lameduck-system/lameduck-webhook", Read("cert-manager.yaml").Objects.Single(o => o.Kind == "MutatingWebhookConfiguration")
            .Root.TextAt("metadata", "annotations", "cert-manager.io/inject-ca-from"));
    }
}
