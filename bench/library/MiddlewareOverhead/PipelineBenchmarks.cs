using BenchmarkDotNet.Attributes;
using Lameduck;
using Lameduck.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MiddlewareOverhead;

/// <summary>
/// One request through a pipeline that answers "hello world", with and without UseLameduck() in front.
/// The response feature keeps OnStarting callbacks in a reused stack and fires them when the body is
/// written, as Kestrel's HttpProtocol does, so the middleware's registration is paid for as in Kestrel.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PipelineBenchmarks
{
    private static readonly byte[] Hello = "hello world"u8.ToArray();
    private RequestDelegate _plain = null!;
    private RequestDelegate _withLameduck = null!;
    private HttpContext _context = null!;
    private KestrelLikeResponseFeature _response = null!;
    private IHost _host = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLameduck();
        _host = builder.Build();

        _plain = Build(app => { });
        _withLameduck = Build(app => app.UseLameduck());

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature { Protocol = "HTTP/1.1", Method = "GET", Path = "/" });
        _response = new KestrelLikeResponseFeature();
        features.Set<IHttpResponseFeature>(_response);
        features.Set<IHttpResponseBodyFeature>(_response);
        _context = new DefaultHttpContext(features);
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true)]
    public Task WithoutLameduck() => Run(_plain);

    [Benchmark]
    public Task WithLameduck() => Run(_withLameduck);

    private async Task Run(RequestDelegate pipeline)
    {
        _response.Reset();
        await pipeline(_context);
    }

    private RequestDelegate Build(Action<IApplicationBuilder> configure)
    {
        var app = new ApplicationBuilder(_host.Services);
        configure(app);
        app.Run(context => context.Response.Body.WriteAsync(Hello).AsTask());
        return app.Build();
    }
}
