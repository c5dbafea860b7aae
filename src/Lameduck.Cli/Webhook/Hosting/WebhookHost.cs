using System.Net;
using Lameduck.AspNetCore;
using Lameduck.Cli.Webhook.Admission;
using Lameduck.Cli.Webhook.Diagnostics;
using Lameduck.Cli.Webhook.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Webhook.Hosting;

/// <summary>
/// The webhook's host: Kestrel on HTTPS with a certificate that reloads, <c>/mutate</c> and <c>/mutate/all</c>,
/// <c>/healthz</c> (liveness) and <c>/readyz</c> (readiness), and Lameduck's own shutdown: on SIGTERM readiness
/// fails while admissions go on being answered for <c>Lameduck__Delay</c>, then in-flight ones finish.
/// </summary>
internal static class WebhookHost
{
    /// <summary>Builds the application (not started).</summary>
    /// <param name="configureLogging">Replaces the console logging (tests pass their own).</param>
    public static WebApplication Build(WebhookSettings settings, Action<ILoggingBuilder> configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        // ASP.NET Core logs every request at Information: at thousands of admissions a second that is the webhook's
        // main cost. A more specific category brings it back: Logging__LogLevel__Microsoft.AspNetCore.Hosting=Information.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configureLogging(builder.Logging);
        builder.Services.AddLameduck();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(sp => new CertificateReloader(settings.CertFile, settings.KeyFile, settings.CertificateCheckInterval, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(new PodAdmission(settings.Inject));
        builder.Services.AddSingleton<WebhookMetrics>();
        builder.Services.AddSingleton<AdmissionEndpoint>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var certificates = kestrel.ApplicationServices.GetRequiredService<CertificateReloader>();
            kestrel.AddServerHeader = false;
            // The endpoint reads at most MaxBodyBytes itself and answers "too large" as an allowed review; Kestrel's
            // own limit (a 413, which the API server counts as a failed call) only guards against absurd bodies.
            kestrel.Limits.MaxRequestBodySize = Math.Max(settings.MaxBodyBytes * 4L, 16L * 1024 * 1024);
            kestrel.Listen(settings.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(certificates.ServerOptions()),
                    HandshakeTimeout = settings.Timeout,
                });
            });
        });

        var app = builder.Build();
        app.UseLameduck();
        app.MapLameduckProbes("/healthz", "/readyz");
        var endpoint = app.Services.GetRequiredService<AdmissionEndpoint>();
        app.MapPost("/mutate", context => endpoint.HandleAsync(context, namespaceOptedIn: false));
        app.MapPost("/mutate/all", context => endpoint.HandleAsync(context, namespaceOptedIn: true));
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var certificate = app.Services.GetRequiredService<CertificateReloader>().Certificate;
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(WebhookLog.Category);
            WebhookLog.Listening(logger, string.Join(", ", app.Urls), certificate.Subject, certificate.NotAfter.ToUniversalTime(),
                settings.Inject.KubeVersion.ToString(), settings.Timeout.TotalMilliseconds);
        });
        return app;
    }
}
