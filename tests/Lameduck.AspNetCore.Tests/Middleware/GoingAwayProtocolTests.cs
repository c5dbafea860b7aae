using System.Net;
using Lameduck.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Lameduck.AspNetCore.Tests.Middleware;

/// <summary>The middleware's going-away signal per protocol: Connection: close on HTTP/1.1, GOAWAY on HTTP/2.</summary>
[Collection(ShutdownCollection.Name)]
public sealed class GoingAwayProtocolTests
{
    private static readonly Dictionary<string, string?> LongWindow = new() { ["Lameduck:Delay"] = "00:00:30", ["Lameduck:GracePeriod"] = "00:01:00" };

    [Fact]
    public async Task HTTP2_connection_gets_GOAWAY_during_the_window_and_the_client_moves_to_a_new_connection()
    {
        await using var server = await InProcessApp.StartAsync(LongWindow,
            app =>
            {
                app.UseLameduck();
                app.MapGet("/", (HttpContext context) => context.Connection.Id);
            },
            builder =>
            {
                builder.Services.AddLameduck();
                builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2));
            });
        using var http = new HttpClient
        {
            BaseAddress = server.BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, // h2c with prior knowledge
        };

        var first = await http.GetStringAsync("/");
        Assert.Equal(first, await http.GetStringAsync("/")); // one multiplexed connection while serving

        await server.BeginShutdownAsync();
        var inWindow = await http.GetStringAsync("/");
        Assert.Equal(first, inWindow); // served on the old connection, which is then told GOAWAY
        var after = await GetWithRetryOnGoAwayAsync(http);
        Assert.NotEqual(first, after); // the client reconnected
    }

    [Fact]
    public async Task Response_started_before_the_window_but_written_during_it_carries_Connection_close()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await InProcessApp.StartAsync(LongWindow,
            app =>
            {
                app.UseLameduck();
                app.MapGet("/wait", async () => { await release.Task; return "done"; });
            },
            builder => builder.Services.AddLameduck());
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var pending = http.GetAsync("/wait");
        while (server.Lameduck.InFlight == 0)
        {
            await Task.Delay(10);
        }
        await server.BeginShutdownAsync();
        release.SetResult();
        using var response = await pending;
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.ConnectionClose);
    }

    /// <summary>
    /// A request racing the GOAWAY may be refused by the old connection; SocketsHttpHandler retries such a
    /// request itself, so one plain request is enough. Kept as a method to name that expectation.
    /// </summary>
    private static Task<string> GetWithRetryOnGoAwayAsync(HttpClient http) => http.GetStringAsync("/");
}
