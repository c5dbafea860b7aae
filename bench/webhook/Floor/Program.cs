// The floor of bench/webhook/run.sh: what any HTTPS admission webhook costs before it does anything.
// Same Kestrel, same TLS handshake options (a certificate context, h2 and http/1.1 over ALPN), the body read in
// full and the uid found, and an AdmissionReview answered allowed: true with no patch.
//   dotnet Floor.dll https://127.0.0.1:PORT tls.crt tls.key
using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

var uri = new Uri(args[0]);
var leaf = X509Certificate2.CreateFromPemFile(args[1], args[2]);
var context = SslStreamCertificateContext.Create(leaf, [], offline: true);

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Parse(uri.Host), uri.Port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            }),
        });
    });
});
var app = builder.Build();
app.MapPost("/mutate", async (HttpContext http) =>
{
    var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    int length = 0, read;
    while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(length))) > 0)
    {
        length += read;
        if (length == buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }
    }
    var uid = Uid(buffer.AsSpan(0, length));
    ArrayPool<byte>.Shared.Return(buffer);
    var response = new ArrayBufferWriter<byte>(256);
    using (var writer = new Utf8JsonWriter(response))
    {
        writer.WriteStartObject();
        writer.WriteString("apiVersion", "admission.k8s.io/v1");
        writer.WriteString("kind", "AdmissionReview");
        writer.WriteStartObject("response");
        writer.WriteString("uid", uid);
        writer.WriteBoolean("allowed", true);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
    http.Response.ContentType = "application/json";
    http.Response.ContentLength = response.WrittenCount;
    await http.Response.Body.WriteAsync(response.WrittenMemory);
});
app.Run();

// request.uid: the first "uid" member at depth 2 (AdmissionReview > request > uid).
static string Uid(ReadOnlySpan<byte> body)
{
    var reader = new Utf8JsonReader(body);
    bool inRequest = false;
    while (reader.Read())
    {
        if (reader.TokenType != JsonTokenType.PropertyName) continue;
        if (reader.CurrentDepth == 1) inRequest = reader.ValueTextEquals("request"u8);
        else if (inRequest && reader.CurrentDepth == 2 && reader.ValueTextEquals("uid"u8) && reader.Read()) return reader.GetString() ?? "";
    }
    return "";
}
