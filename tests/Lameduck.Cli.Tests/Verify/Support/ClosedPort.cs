using System.Net;
using System.Net.Sockets;

namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>A loopback port nobody listens on: bound by the OS, then released.</summary>
public static class ClosedPort
{
    public static int Find()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
