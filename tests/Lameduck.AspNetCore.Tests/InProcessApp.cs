using Lameduck.Testing;
using System.Runtime.InteropServices;
using Lameduck.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lameduck.AspNetCore.Tests;

/// <summary>
/// A real Kestrel on a free loopback port inside the test process, for what needs no signal: the sequence
/// is started through the host lifetime's own entry point (the one its signal handler calls), so sending
/// SIGTERM to the test runner is never needed.
/// </summary>
internal sealed class InProcessApp : IAsyncDisposable
{
    private readonly Task _run;

    private InProcessApp(WebApplication app, Task run, Uri baseAddress)
    {
        App = app;
        _run = run;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public ILameduck Lameduck => App.Services.GetRequiredService<ILameduck>();

    public static async Task<InProcessApp> StartAsync(
        IDictionary<string, string?> settings,
        Action<WebApplication> configureApp,
        Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        configureApp(app);

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Lifetime.ApplicationStarted.Register(() => started.SetResult());
        var run = app.RunAsync();
        await Task.WhenAny(started.Task, run).WaitAsync(TimeSpan.FromSeconds(30));
        if (run.IsCompleted)
        {
            await run; // start-up failed: surface why
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new InProcessApp(app, run, new Uri(address));
    }

    /// <summary>
    /// Starts the shutdown sequence as a SIGTERM would and waits until the window has started. Call it once:
    /// a second call means "stop now" (process exit).
    /// </summary>
    public async Task BeginShutdownAsync()
    {
        App.Services.GetRequiredService<LameduckHostLifetime>().BeginShutdown(PosixSignal.SIGTERM);
        await Lameduck.Draining.WhenCancelledAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Completes when the host has stopped (after the window and the drain).</summary>
    public Task Stopped => _run;

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await App.StopAsync(cts.Token);
        }
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
        await App.DisposeAsync();
    }
}
