using System.Net;
using System.Net.Sockets;
using Lameduck.Cli.Lab.Ingress;

namespace Lameduck.Cli.Tests.Lab.Support;

/// <summary>
/// A replica that accepts TCP connections on loopback and then fails each one: <see cref="Mode.Reset"/> reads
/// the request and resets the connection (SO_LINGER 0), <see cref="Mode.Close"/> reads it and closes the connection
/// without an answer (an end of stream), <see cref="Mode.Silent"/> reads it and never answers.
/// Counts the connections it accepted, which is how a test sees whether an ingress tried it.
/// </summary>
internal sealed class MisbehavingBackend : IDisposable
{
    public enum Mode { Reset, Close, Silent }

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private long _connections;

    public MisbehavingBackend(Mode mode)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = Task.Run(() => AcceptAsync(mode));
    }

    public int Port { get; }

    public Endpoint Endpoint(string name) => new(name, Port);

    /// <summary>Connections accepted since the start.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    private async Task AcceptAsync(Mode mode)
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            Socket connection;
            try { connection = await _listener.AcceptAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            Interlocked.Increment(ref _connections);
            try { await connection.ReceiveAsync(buffer, SocketFlags.None, _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException) { }
            if (mode == Mode.Reset)
            {
                connection.LingerState = new LingerOption(true, 0);
                connection.Dispose();
            }
            else if (mode == Mode.Close)
            {
                connection.Shutdown(SocketShutdown.Both);
                connection.Dispose();
            }
            else
            {
                lock (_held) _held.Add(connection);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_held) foreach (var s in _held) s.Dispose();
        _stop.Dispose();
    }
}
