using Lameduck.Cli.CommandLine;
using System.Net.Sockets;

namespace Lameduck.Cli.Verify;

/// <summary>
/// Checks that the target accepts TCP connections before a run starts. A run against a port nobody listens on
/// would only measure the typo, so that is reported as bad usage (exit 2) before anything is sent; refusals
/// that start during the run are measured as errors like any other.
/// </summary>
public static class Preflight
{
    /// <summary>Connects once to <paramref name="target"/>'s host and port; throws <see cref="UsageException"/> naming why it failed.</summary>
    public static async Task CheckReachableAsync(Uri target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var where = $"{target.Host}:{target.Port}";
        try
        {
            await socket.ConnectAsync(target.DnsSafeHost, target.Port, cts.Token).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw new UsageException($"cannot reach {where}: connection refused (nothing listens there?); nothing was sent");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData)
        {
            throw new UsageException($"cannot resolve host '{target.Host}'; nothing was sent");
        }
        catch (SocketException e)
        {
            throw new UsageException($"cannot reach {where}: {e.Message}; nothing was sent");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UsageException($"cannot reach {where}: no TCP connection within {Text.DurationText.Format(timeout)}; nothing was sent");
        }
    }
}
