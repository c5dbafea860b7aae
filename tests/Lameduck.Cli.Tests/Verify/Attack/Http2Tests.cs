using System.Net;
using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Cli.Verify.Attack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lameduck.Cli.Tests.Verify.Attack;

[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class Http2Tests
{
    [Fact]
    public async Task Http2_prior_knowledge_sends_every_request_over_h2c_to_kestrel()
    {
        long http2Requests = 0, otherRequests = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        await using var app = builder.Build();
        app.Run(context =>
        {
            if (context.Request.Protocol == "HTTP/2") Interlocked.Increment(ref http2Requests);
            else Interlocked.Increment(ref otherRequests);
            context.Response.StatusCode = Interlocked.Read(ref http2Requests) % 10 == 0 ? 503 : 200;
            return context.Response.WriteAsync("hello world\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = new Uri(address + "/"), Rate = 200, Duration = TimeSpan.FromSeconds(1), Http2 = true,
        });
        await app.StopAsync();

        Assert.Equal(200, result.Summary.Requests);
        Assert.Equal(200, Interlocked.Read(ref http2Requests));
        Assert.Equal(0, Interlocked.Read(ref otherRequests));
        Assert.Equal(20, result.Summary.StatusCodes[503]);
        Assert.Equal(180, result.Summary.StatusCodes[200]);
        Assert.Null(result.Summary.Retries); // not measurable on HTTP/2: reported as such, not as 0
    }

    [Fact]
    public async Task Http2_against_an_http1_only_server_fails_instead_of_falling_back()
    {
        await using var server = new ScriptedHttpServer((_, _) => (Reply.Status, 200));
        var result = await LoadGenerator.RunAsync(new LoadOptions
        {
            Target = server.Url, Rate = 20, Duration = TimeSpan.FromSeconds(0.5), Http2 = true, Timeout = TimeSpan.FromSeconds(2),
        });
        Assert.Equal(10, result.Summary.Errors);
        Assert.False(result.Summary.StatusCodes.ContainsKey(200));
    }
}
