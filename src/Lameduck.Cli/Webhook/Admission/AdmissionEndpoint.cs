using System.Buffers;
using System.Diagnostics;
using Lameduck.Cli.Webhook.Diagnostics;
using Lameduck.Cli.Webhook.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Webhook.Admission;

/// <summary>
/// <c>POST /mutate</c> and <c>POST /mutate/all</c>: reads at most <see cref="WebhookSettings.MaxBodyBytes"/> within
/// <see cref="WebhookSettings.Timeout"/>, and always answers 200 with <c>allowed: true</c>: a pod is never refused
/// or held up because of Lameduck. What could not be handled (not JSON, too large, not a pod, too slow, a bug)
/// is admitted unchanged with a warning, logged and counted.
/// </summary>
internal sealed class AdmissionEndpoint(PodAdmission admission, WebhookSettings settings, WebhookMetrics metrics, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(WebhookLog.Category);

    /// <summary>Answers one admission review.</summary>
    /// <param name="namespaceOptedIn">True on <c>/mutate/all</c>: the pod's namespace opted in, only <c>lameduck.dev/inject: "false"</c> opts out.</param>
    public async Task HandleAsync(HttpContext context, bool namespaceOptedIn)
    {
        long started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(settings.Timeout);
        string uid = "";
        byte[]? patch = null;
        IReadOnlyList<string> warnings = [];
        AdmissionOutcome outcome;
        try
        {
            var (body, length, complete) = await ReadBodyAsync(context.Request, deadline.Token).ConfigureAwait(false);
            try
            {
                (outcome, uid, patch, warnings) = Decide(body.AsSpan(0, length), complete, namespaceOptedIn);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong, the API server gets an answer, not a 500.
                WebhookLog.Failed(_logger, uid, e);
                outcome = AdmissionOutcome.Error;
                warnings = ["internal error (see the webhook's log); the pod was admitted unchanged"];
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the API server hung up: nobody to answer
        }
        catch (Exception e) when (e is OperationCanceledException or BadHttpRequestException)
        {
            outcome = AdmissionOutcome.Timeout;
            warnings = [$"the request did not arrive within {settings.Timeout.TotalSeconds:0.###} s; the pod was admitted unchanged"];
            WebhookLog.Unhandled(_logger, uid, outcome.Tag(), e.Message);
        }

        var response = AdmissionResponse.Write(uid, patch, warnings);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = response.Length;
        await context.Response.Body.WriteAsync(response, context.RequestAborted).ConfigureAwait(false);
        metrics.Record(outcome, Stopwatch.GetElapsedTime(started));
    }

    private (AdmissionOutcome, string Uid, byte[]? Patch, IReadOnlyList<string> Warnings) Decide(ReadOnlySpan<byte> body, bool complete, bool namespaceOptedIn)
    {
        if (!complete)
        {
            var prefixUid = AdmissionRequest.UidFromPrefix(body) ?? "";
            var reason = $"the AdmissionReview is larger than {settings.MaxBodyBytes / (1024.0 * 1024):0.#} MiB; the pod was admitted unchanged";
            WebhookLog.Unhandled(_logger, prefixUid, AdmissionOutcome.TooLarge.Tag(), reason);
            return (AdmissionOutcome.TooLarge, prefixUid, null, [reason]);
        }
        AdmissionRequest request;
        try
        {
            request = AdmissionRequest.Parse(body);
        }
        catch (AdmissionFormatException e)
        {
            WebhookLog.Unhandled(_logger, "", AdmissionOutcome.Malformed.Tag(), e.Message);
            return (AdmissionOutcome.Malformed, "", null, [$"{e.Message}; admitted unchanged"]);
        }
        if (!request.IsPod)
        {
            var reason = $"the webhook mutates pods only, not {request.Kind.TrimStart('/')}; check the MutatingWebhookConfiguration's rules";
            WebhookLog.Unhandled(_logger, request.Uid, AdmissionOutcome.NotAPod.Tag(), reason);
            return (AdmissionOutcome.NotAPod, request.Uid, null, [reason]);
        }
        if (request.Operation != "CREATE") return (AdmissionOutcome.NotACreate, request.Uid, null, []);
        if (request.Object is null)
        {
            WebhookLog.Unhandled(_logger, request.Uid, AdmissionOutcome.Malformed.Tag(), "no object in the request");
            return (AdmissionOutcome.Malformed, request.Uid, null, ["the request carries no pod; admitted unchanged"]);
        }
        var pod = PodName(request);
        try
        {
            var (outcome, patch, warnings, injection) = admission.Mutate(request, namespaceOptedIn);
            foreach (var warning in warnings) WebhookLog.LeftAlone(_logger, pod, request.Namespace, request.Uid, warning);
            if (outcome == AdmissionOutcome.Mutated)
            {
                WebhookLog.Mutated(_logger, pod, request.Namespace, request.Uid, injection!.Edits.Count,
                    string.Join("; ", injection.Containers.Select(c => $"{c.Container}: {c.Status}")));
            }
            return (outcome, request.Uid, patch, warnings);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            WebhookLog.Failed(_logger, request.Uid, e);
            return (AdmissionOutcome.Error, request.Uid, null, ["internal error (see the webhook's log); the pod was admitted unchanged"]);
        }
    }

    private static string PodName(AdmissionRequest request) =>
        Inject.Mutation.JsonEdits.Text(request.Object?["metadata"]?["name"]) is { Length: > 0 } name ? name
        : Inject.Mutation.JsonEdits.Text(request.Object?["metadata"]?["generateName"]) is { } generate ? generate + "*" : "(unnamed)";

    // Reads the body into a pooled buffer; stops at MaxBodyBytes (complete: false) rather than reading an unbounded amount.
    private async Task<(byte[] Buffer, int Length, bool Complete)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        int limit = settings.MaxBodyBytes;
        int initial = request.ContentLength is { } declared && declared <= limit ? (int)declared + 1 : 16 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(initial, limit + 1));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) return (buffer, length, false);
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                int read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0) return (buffer, length, true);
                length += read;
                if (length > limit) return (buffer, length, false);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
