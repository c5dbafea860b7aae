using System.Text;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Attack.Http1;

namespace Lameduck.Cli.Tests.Verify.Attack.Http1;

/// <summary>The bytes the HTTP/1.1 engine writes for each request, built once from the options.</summary>
public class RequestBytesTests
{
    private static string Build(LoadOptions options) => Encoding.Latin1.GetString(RequestBytes.Build(options));

    [Fact]
    public void A_GET_has_the_path_and_query_and_Host_with_its_port_and_no_body()
    {
        Assert.Equal("GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: example.test:8080\r\n\r\n",
            Build(new LoadOptions { Target = new Uri("http://example.test:8080/a/b?x=1&y=2") }));
        Assert.Equal("GET / HTTP/1.1\r\nHost: example.test\r\n\r\n", Build(new LoadOptions { Target = new Uri("http://example.test/") }));
    }

    [Fact]
    public void An_IPv6_literal_keeps_its_brackets_in_Host()
    {
        Assert.Equal("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", Build(new LoadOptions { Target = new Uri("http://[::1]:8080/") }));
        Assert.Equal("GET / HTTP/1.1\r\nHost: [fd00::2]\r\n\r\n", Build(new LoadOptions { Target = new Uri("http://[fd00::2]/") }));
    }

    [Fact]
    public void Without_keep_alive_the_request_asks_to_close()
    {
        Assert.Equal("GET / HTTP/1.1\r\nHost: 127.0.0.1:9\r\nConnection: close\r\n\r\n",
            Build(new LoadOptions { Target = new Uri("http://127.0.0.1:9/"), KeepAlive = false }));
    }

    [Fact]
    public void User_headers_come_in_order_a_body_gets_its_length_and_a_user_Host_replaces_the_default()
    {
        var text = Build(new LoadOptions
        {
            Target = new Uri("http://127.0.0.1:9/orders"), Method = HttpMethod.Post, Body = "{\"n\":1}"u8.ToArray(),
            Headers = [new("Host", "shop.test"), new("X-A", "1"), new("X-A", "2"), new("Content-Length", "999")],
        });
        Assert.Equal("POST /orders HTTP/1.1\r\nHost: shop.test\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 7\r\n\r\n{\"n\":1}", text);
    }

    [Fact]
    public void A_body_less_POST_says_its_length_is_zero_as_HttpClient_does()
    {
        Assert.Equal("POST / HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Length: 0\r\n\r\n",
            Build(new LoadOptions { Target = new Uri("http://127.0.0.1:9/"), Method = HttpMethod.Post }));
    }
}
