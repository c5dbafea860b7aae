using System.CommandLine;
using System.Net;
using Lameduck.Cli.Inject;
using Lameduck.Cli.Lint.Rules;
using Lameduck.Cli.Webhook.Certificates;
using Lameduck.Cli.Webhook.Hosting;
using Lameduck.Cli.Webhook.Tls;
using Lameduck.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lameduck.Cli.Webhook;

/// <summary>
/// <c>lameduck webhook --listen https://0.0.0.0:8443 --cert tls.crt --key tls.key</c>: the mutating admission
/// webhook (docs/inject.md); and <c>lameduck webhook certs --service NAME --namespace NS --out DIR</c>: a private
/// CA and serving certificate for clusters without cert-manager. Exit 0 after a clean shutdown, 2 on bad usage
/// (an unreadable certificate included).
/// </summary>
/// <example>
/// <code>
/// var root = new RootCommand();
/// root.Subcommands.Add(WebhookCommand.Create());
/// return root.Parse(["webhook", "--cert", "/tls/tls.crt", "--key", "/tls/tls.key"]).Invoke();
/// </code>
/// </example>
public static class WebhookCommand
{
    /// <summary>Exit code for bad usage.</summary>
    public const int BadUsage = 2;

    /// <summary>Builds the <c>webhook</c> command and its <c>certs</c> subcommand.</summary>
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "HTTPS address to listen on", DefaultValueFactory = _ => "https://0.0.0.0:8443", HelpName = "URL" };
        var cert = new Option<string?>("--cert") { Description = "PEM certificate file (tls.crt; a chain may follow the certificate); reloaded when it changes", HelpName = "FILE" };
        var key = new Option<string?>("--key") { Description = "PEM private key file (tls.key); reloaded when it changes", HelpName = "FILE" };
        var kubeVersion = new Option<string>("--kube-version")
        {
            Description = "Kubernetes version of the cluster: from 1.30 preStop delays use the native sleep action",
            DefaultValueFactory = _ => KubeVersion.Default.ToString(),
            HelpName = "VERSION",
        };
        var initImage = new Option<string>("--init-image") { Description = "Image of the init container that copies lameduck-init into pods", DefaultValueFactory = _ => InjectSettings.DefaultInitImage, HelpName = "IMAGE" };
        var timeout = new Option<string>("--timeout") { Description = "Longest time a request may take to arrive and be answered (the API server waits 10 s by default)", DefaultValueFactory = _ => "2s", HelpName = "DURATION" };
        var certCheck = new Option<string>("--cert-check-interval") { Description = "How often the certificate files are checked for a renewal", DefaultValueFactory = _ => "10s", HelpName = "DURATION" };
        var logFormat = new Option<string>("--log-format") { Description = "json (one object per line, for log collectors) or text", DefaultValueFactory = _ => "json", HelpName = "json|text" };

        var command = new Command("webhook", "Mutating admission webhook: inject Lameduck into opted-in pods at creation (same mutation as lameduck inject)")
        {
            listen, cert, key, kubeVersion, initImage, timeout, certCheck, logFormat,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            var (settings, error) = Settings(parseResult.GetValue(listen)!, parseResult.GetValue(cert), parseResult.GetValue(key),
                parseResult.GetValue(kubeVersion)!, parseResult.GetValue(initImage)!, parseResult.GetValue(timeout)!, parseResult.GetValue(certCheck)!);
            var format = parseResult.GetValue(logFormat)!;
            if (error is null && format is not ("json" or "text")) error = $"--log-format: '{format}' is neither json nor text";
            if (settings is null || error is not null)
            {
                stderr.WriteLine($"lameduck webhook: {error}");
                return BadUsage;
            }
            WebApplication app;
            try
            {
                app = WebhookHost.Build(settings, logging => ConsoleLogging(logging, format));
                _ = app.Services.GetService(typeof(CertificateReloader)); // load the certificate now: a bad one is a usage error
            }
            catch (CertificateLoadException e)
            {
                stderr.WriteLine($"lameduck webhook: --cert/--key: {e.Message}");
                return BadUsage;
            }
            try
            {
                await app.RunAsync().ConfigureAwait(false);
            }
            catch (OptionsValidationException e)
            {
                stderr.WriteLine($"lameduck webhook: {string.Join(" ", e.Failures)}");
                return BadUsage;
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException)
            {
                // Kestrel's bind errors ("address already in use", "cannot assign requested address").
                stderr.WriteLine($"lameduck webhook: --listen: {e.Message}");
                return BadUsage;
            }
            return 0;
        });
        command.Subcommands.Add(CertsCommand());
        return command;
    }

    /// <summary>Checks the raw option values; returns the settings, or an error naming the flag at fault.</summary>
    internal static (WebhookSettings? Settings, string? Error) Settings(
        string listen, string? cert, string? key, string kubeVersion, string initImage, string timeout, string certCheck)
    {
        if (!Uri.TryCreate(listen, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/")
        {
            return (null, $"--listen: '{listen}' is not an address such as https://0.0.0.0:8443");
        }
        if (uri.Scheme != "https") return (null, $"--listen: '{listen}': the API server calls webhooks over HTTPS only");
        IPAddress? address = uri.Host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            var h when IPAddress.TryParse(h.Trim('[', ']'), out var parsed) => parsed,
            _ => null,
        };
        if (address is null) return (null, $"--listen: '{uri.Host}' is not an IP address (e.g. 0.0.0.0, [::], 127.0.0.1)");
        if (string.IsNullOrWhiteSpace(cert)) return (null, "--cert: name the PEM certificate file (tls.crt)");
        if (string.IsNullOrWhiteSpace(key)) return (null, "--key: name the PEM private key file (tls.key)");
        if (!KubeVersion.TryParse(kubeVersion, out var version)) return (null, $"--kube-version: '{kubeVersion}' is not a Kubernetes version (expected e.g. 1.30)");
        if (!DurationText.TryParse(timeout, out var timeoutValue, out var timeoutError) || timeoutValue <= TimeSpan.Zero)
        {
            return (null, $"--timeout: {(timeoutError.Length > 0 ? timeoutError : "must be longer than 0")}");
        }
        if (timeoutValue >= TimeSpan.FromSeconds(10)) return (null, $"--timeout: {timeout} is not under the API server's 10 s default; the webhook must answer before it gives up");
        if (!DurationText.TryParse(certCheck, out var checkValue, out var checkError) || checkValue <= TimeSpan.Zero)
        {
            return (null, $"--cert-check-interval: {(checkError.Length > 0 ? checkError : "must be longer than 0")}");
        }
        if (string.IsNullOrWhiteSpace(initImage)) return (null, "--init-image: name an image");
        int port = uri.IsDefaultPort ? 443 : uri.Port;
        return (new WebhookSettings(new IPEndPoint(address, port), cert, key, new InjectSettings(version, initImage.Trim()), timeoutValue,
            WebhookSettings.DefaultMaxBodyBytes, checkValue), null);
    }

    private static void ConsoleLogging(ILoggingBuilder logging, string format)
    {
        if (format == "json")
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
    }

    private static Command CertsCommand()
    {
        var service = new Option<string?>("--service") { Description = "The webhook's Service name", HelpName = "NAME" };
        var ns = new Option<string?>("--namespace") { Description = "The webhook's namespace", HelpName = "NS" };
        var output = new Option<string?>("--out") { Description = "Folder for ca.crt, tls.crt and tls.key", HelpName = "DIR" };
        var days = new Option<int>("--days") { Description = "Validity of the serving certificate (the CA's is 10 years)", DefaultValueFactory = _ => 365 };
        var dns = new Option<string[]>("--dns") { Description = "More DNS names for the serving certificate", AllowMultipleArgumentsPerToken = true, HelpName = "NAME" };
        var ip = new Option<string[]>("--ip") { Description = "IP addresses for the serving certificate (e.g. 127.0.0.1 to test on one machine)", AllowMultipleArgumentsPerToken = true, HelpName = "ADDRESS" };
        var certs = new Command("certs", "Make a private CA and a serving certificate for the webhook's Service; print the caBundle")
        {
            service, ns, output, days, dns, ip,
        };
        certs.SetAction(parseResult =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            int Fail(string message)
            {
                stderr.WriteLine($"lameduck webhook certs: {message}");
                return BadUsage;
            }
            var name = parseResult.GetValue(service);
            var space = parseResult.GetValue(ns);
            var dir = parseResult.GetValue(output);
            if (string.IsNullOrWhiteSpace(name)) return Fail("--service: name the webhook's Service");
            if (string.IsNullOrWhiteSpace(space)) return Fail("--namespace: name the webhook's namespace");
            if (string.IsNullOrWhiteSpace(dir)) return Fail("--out: name a folder for the files");
            if (parseResult.GetValue(days) is < 1 or > 3650) return Fail($"--days: {parseResult.GetValue(days)} is not between 1 and 3650");
            var addresses = new List<IPAddress>();
            foreach (var text in parseResult.GetValue(ip) ?? [])
            {
                if (!IPAddress.TryParse(text, out var address)) return Fail($"--ip: '{text}' is not an IP address");
                addresses.Add(address);
            }
            var names = SelfSignedPair.ServiceNames(name, space).Concat(parseResult.GetValue(dns) ?? []).ToList();
            using var pair = SelfSignedPair.Create(names, addresses, TimeSpan.FromDays(parseResult.GetValue(days)), DateTimeOffset.UtcNow);
            try
            {
                pair.WriteTo(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail($"--out: cannot write to '{dir}': {e.Message}");
            }
            stdout.WriteLine(pair.CaBundle);
            stderr.WriteLine($"lameduck webhook certs: wrote {Path.Combine(dir, "ca.crt")}, tls.crt and tls.key (for {string.Join(", ", names.Concat(addresses.Select(a => a.ToString())))}; " +
                $"valid until {pair.Server.NotAfter.ToUniversalTime():yyyy-MM-dd}). The line above is the caBundle for the MutatingWebhookConfiguration.");
            return 0;
        });
        return certs;
    }
}
