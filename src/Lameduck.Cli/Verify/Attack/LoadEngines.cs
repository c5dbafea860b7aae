using Lameduck.Cli.Verify.Attack.Http1;

namespace Lameduck.Cli.Verify.Attack;

/// <summary>Chooses the engine that sends a run.</summary>
internal static class LoadEngines
{
    /// <summary>
    /// Environment variable that forces the SocketsHttpHandler engine (<c>httpclient</c>) for plain HTTP/1.1 too,
    /// for comparisons (bench/verify) and as a way out should the epoll engine misbehave somewhere.
    /// </summary>
    public const string EngineVariable = "LAMEDUCK_VERIFY_ENGINE";

    /// <summary>The epoll engine for plain http:// HTTP/1.1 on Linux; SocketsHttpHandler for https, --http2 and elsewhere.</summary>
    public static ILoadEngine Create(LoadOptions options) =>
        Http1Engine.Supports(options) && !ForcesHttpClient() ? new Http1Engine(options) : new HttpClientEngine(options);

    private static bool ForcesHttpClient() =>
        string.Equals(Environment.GetEnvironmentVariable(EngineVariable), "httpclient", StringComparison.OrdinalIgnoreCase);
}
