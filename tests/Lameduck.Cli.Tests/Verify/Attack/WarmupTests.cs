using Lameduck.Cli.Tests.Suite;
using Lameduck.Cli.Tests.Verify.Support;
using Lameduck.Cli.Verify.Attack;

namespace Lameduck.Cli.Tests.Verify.Attack;

/// <summary>
/// The warm-up compiles the path the run will take, and sends nothing to the target: for https and <c>--http2</c>
/// that is SocketsHttpHandler with TLS and HTTP/2, which compiled on first use stalled the first 0.4–1.1 s of a run
/// (p99 of a do-nothing HTTPS endpoint 240–380 ms at 500 req/s before the warm-up covered it; docs/BENCHMARKS.md).
/// The target here is a closed port: a warm-up that sent there would count errors.
/// </summary>
[Collection(LoadCollection.Name), Trait(TestLanes.Trait, TestLanes.Side)]
public class WarmupTests
{
    [Theory]
    [InlineData("http", false, "HTTP/1.1", false)]
    [InlineData("http", true, "HTTP/2", false)]
    [InlineData("https", false, "HTTP/1.1", true)]
    [InlineData("https", true, "HTTP/2", true)]
    public async Task Warmup_sends_its_100_requests_over_the_targets_scheme_and_protocol_to_its_own_responder(
        string scheme, bool http2, string protocol, bool tls)
    {
        var options = new LoadOptions
        {
            Target = new Uri($"{scheme}://127.0.0.1:{ClosedPort.Find()}/x"), Http2 = http2, Method = HttpMethod.Post,
            Body = "{}"u8.ToArray(), Timeout = TimeSpan.FromSeconds(10),
        };

        var warmup = await Warmup.RunAsync(options, CancellationToken.None);

        Assert.Equal(100, warmup.Run.Summary.Requests);
        Assert.True(warmup.Run.Summary.Errors == 0, $"{warmup.Run.Summary.Errors} warm-up requests failed: {string.Join(", ", warmup.Run.Summary.ErrorSet.Where(e => e.Value > 0))}");
        Assert.Equal(100, warmup.Answered);
        Assert.Equal(protocol, warmup.Protocol);
        Assert.Equal(tls, warmup.Tls);
    }
}
