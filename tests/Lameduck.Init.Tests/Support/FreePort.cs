using System.Net;
using System.Net.Sockets;

namespace Lameduck.Init.Tests.Support;

/// <summary>
/// A loopback port free right now, for servers (nginx, php-fpm) that take a port in their config file
/// and cannot be told to bind port 0. The kernel does hand a port just released out again soon (2,000 draws
/// gave 249 repeats), so this is the lab's <see cref="Lameduck.Cli.Lab.Replicas.FreePort"/> (linked source),
/// which never repeats a port it handed out recently.
/// </summary>
internal static class FreePort
{
    public static int Next() => Lameduck.Cli.Lab.Replicas.FreePort.Next();

    /// <summary>Waits until something accepts connections on <paramref name="port"/>; fails at once if <paramref name="server"/> has exited.</summary>
    public static void WaitUntilListening(int port, Func<string> diagnostics, SupervisedRun? server = null) =>
        Wait.Until(() =>
        {
            if (server is { HasExited: true })
                throw new InvalidOperationException($"the server exited before listening on 127.0.0.1:{port}; {diagnostics()}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), () => $"a listener on 127.0.0.1:{port}; {diagnostics()}");
}
