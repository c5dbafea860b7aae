namespace HelloService;

/// <summary>
/// Tags session responses (the WebSocket's 101, the SSE stream's headers) with <c>X-Pod-Name</c>, the replica's
/// name from <c>POD_NAME</c>, so a client behind an ingress learns which pod it landed on (<c>lameduck lab
/// --sessions</c> reads it). <c>POD_NAME</c> is the Kubernetes downward-API convention
/// (<c>env: [{ name: POD_NAME, valueFrom: { fieldRef: { fieldPath: metadata.name } } }]</c>); the lab sets it
/// to each replica's name. A response header, not a first message: nginx and HAProxy pass response headers
/// through, and the stream's content stays the same. Identical in both modes.
/// </summary>
internal static class PodName
{
    public const string Header = "X-Pod-Name";

    private static readonly string? Name = Environment.GetEnvironmentVariable("POD_NAME");

    public static void Tag(HttpResponse response)
    {
        if (!string.IsNullOrEmpty(Name))
        {
            response.Headers[Header] = Name;
        }
    }
}
