using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Webhook.Diagnostics;

/// <summary>
/// The webhook's log events, category <c>Lameduck.Webhook</c>, stable event ids (docs/inject.md): 1 listening,
/// 2 mutated, 3 container left alone, 4 request answered without a patch because it could not be handled,
/// 5 unexpected error, 6 certificate loaded, 7 certificate reload failed.
/// </summary>
internal static partial class WebhookLog
{
    public const string Category = "Lameduck.Webhook";

    [LoggerMessage(EventId = 1, EventName = "Listening", Level = LogLevel.Information,
        Message = "Answering admission reviews on {Endpoint} (/mutate, /mutate/all); certificate {Subject}, expires {NotAfter:u}; Kubernetes {KubeVersion}; timeout {TimeoutMs} ms")]
    public static partial void Listening(ILogger logger, string endpoint, string subject, DateTime notAfter, string kubeVersion, double timeoutMs);

    // Debug: one line per pod created in the cluster is too many at Information; the status annotation on the pod says the same.
    [LoggerMessage(EventId = 2, EventName = "Mutated", Level = LogLevel.Debug,
        Message = "Pod {Pod} in {Namespace} ({Uid}): {Operations} patch operations; {Status}")]
    public static partial void Mutated(ILogger logger, string pod, string @namespace, string uid, int operations, string status);

    [LoggerMessage(EventId = 3, EventName = "LeftAlone", Level = LogLevel.Warning,
        Message = "Pod {Pod} in {Namespace} ({Uid}): {Warning}")]
    public static partial void LeftAlone(ILogger logger, string pod, string @namespace, string uid, string warning);

    [LoggerMessage(EventId = 4, EventName = "Unhandled", Level = LogLevel.Warning,
        Message = "Request {Uid} admitted unchanged ({Outcome}): {Reason}")]
    public static partial void Unhandled(ILogger logger, string uid, string outcome, string reason);

    [LoggerMessage(EventId = 5, EventName = "Failed", Level = LogLevel.Error,
        Message = "Request {Uid} admitted unchanged after an unexpected error")]
    public static partial void Failed(ILogger logger, string uid, Exception exception);

    [LoggerMessage(EventId = 6, EventName = "CertificateLoaded", Level = LogLevel.Information,
        Message = "Serving certificate {Subject} (thumbprint {Thumbprint}, expires {NotAfter:u}) from {CertFile}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter, string certFile);

    [LoggerMessage(EventId = 7, EventName = "CertificateReloadFailed", Level = LogLevel.Warning,
        Message = "{CertFile} / {KeyFile} changed but could not be loaded ({Reason}); still serving {Thumbprint}")]
    public static partial void CertificateReloadFailed(ILogger logger, string certFile, string keyFile, string reason, string thumbprint);
}
