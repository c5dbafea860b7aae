using System.Text.Json;

namespace Lameduck.Cli.Webhook.Admission;

/// <summary>
/// Writes the <c>AdmissionReview</c> the webhook answers with: always <c>allowed: true</c> (a pod is never refused
/// because of Lameduck), the request's uid, a base64 JSON Patch when the pod changes, and warnings the API server
/// passes on to the client (kubectl prints them).
/// </summary>
internal static class AdmissionResponse
{
    // Kubernetes truncates long warnings and many of them; the status annotation on the pod has the full text.
    public const int MaxWarnings = 10;
    public const int MaxWarningLength = 256;

    /// <summary>The response body.</summary>
    /// <param name="uid">The request's uid ("" when it could not be read: the API server then treats the call as failed and, with failurePolicy Ignore, admits the pod).</param>
    /// <param name="patch">A JSON Patch, or null for none.</param>
    public static byte[] Write(string uid, byte[]? patch, IReadOnlyList<string> warnings)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 + (patch?.Length ?? 0) * 4 / 3);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "admission.k8s.io/v1");
            writer.WriteString("kind", "AdmissionReview");
            writer.WriteStartObject("response");
            writer.WriteString("uid", uid);
            writer.WriteBoolean("allowed", true);
            if (patch is { Length: > 0 })
            {
                writer.WriteString("patchType", "JSONPatch");
                writer.WriteBase64String("patch", patch);
            }
            if (warnings.Count > 0)
            {
                writer.WriteStartArray("warnings");
                foreach (var warning in warnings.Take(MaxWarnings))
                {
                    var text = "lameduck: " + warning;
                    writer.WriteStringValue(text.Length <= MaxWarningLength ? text : text[..(MaxWarningLength - 1)] + "…");
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
