using System.Diagnostics;
using System.Net.Sockets;
using Lameduck.Testing;

namespace Lameduck.AspNetCore.Tests.Load;

/// <summary>What happened to one request.</summary>
internal enum Outcome
{
    /// <summary>200, connection kept.</summary>
    Ok,

    /// <summary>200 with <c>Connection: close</c>; the client then opens a new connection, as pooled clients do.</summary>
    OkConnectionClose,

    /// <summary>The connect was refused: the listener is closed. The request was never sent.</summary>
    Refused,

    /// <summary>The connect was reset: the listener closed during the handshake. The request was never sent.</summary>
    ConnectReset,

    /// <summary>A reused keep-alive connection was closed by the server before any byte of the response, without a prior Connection: close.</summary>
    ClosedWithoutNotice,

    /// <summary>A fresh connection was closed or reset before any byte of the response.</summary>
    FreshConnectionClosed,

    /// <summary>Anything else (a non-200 status, a response cut in the middle, a timeout).</summary>
    OtherError,
}

/// <summary>One request: when it was sent (on the load's clock) and what came of it.</summary>
internal sealed record RequestResult(TimeSpan SentAt, Outcome Outcome, string? Detail = null);

/// <summary>
/// A bounded load generator for the shutdown tests: <c>connections</c> keep-alive HTTP/1.1 connections
/// to loopback sharing <c>rate</c> requests per second, each request paced on a schedule. A response with
/// <c>Connection: close</c> makes the worker reconnect for its next request, like an upstream pool.
/// </summary>
internal sealed class KeepAliveLoad
{
    private int _answered;
    private int _refused;

    /// <summary>Requests answered with 200 so far (live, for tests that wait until the load is flowing).</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Connects refused or reset so far (live, for tests that wait until the listener is seen closed).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public async Task<IReadOnlyList<RequestResult>> RunAsync(Uri baseAddress, int connections, double rate, Stopwatch clock, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(connections / rate);
        var workers = Enumerable.Range(0, connections)
            .Select(i => Task.Run(() => WorkerAsync(baseAddress, interval, interval * i / connections, clock, stop)))
            .ToArray();
        var results = await Task.WhenAll(workers);
        return results.SelectMany(r => r).OrderBy(r => r.SentAt).ToList();
    }

    private async Task<List<RequestResult>> WorkerAsync(Uri baseAddress, TimeSpan interval, TimeSpan offset, Stopwatch clock, CancellationToken stop)
    {
        var results = new List<RequestResult>();
        RawHttpConnection? connection = null;
        var next = clock.Elapsed + offset;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var wait = next - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(wait, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
                // Never burst to catch up after a stall: the schedule restarts from now.
                next = Max(next + interval, clock.Elapsed);
                var sentAt = clock.Elapsed;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

                if (connection is null)
                {
                    try
                    {
                        connection = await RawHttpConnection.ConnectAsync(baseAddress, timeout.Token);
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                    {
                        results.Add(new RequestResult(sentAt, Outcome.Refused));
                        Interlocked.Increment(ref _refused);
                        continue;
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                    {
                        results.Add(new RequestResult(sentAt, Outcome.ConnectReset));
                        Interlocked.Increment(ref _refused);
                        continue;
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException)
                    {
                        results.Add(new RequestResult(sentAt, Outcome.OtherError, "connect: " + e.Message));
                        continue;
                    }
                }

                var current = connection;
                var reused = current.ResponsesRead > 0;
                try
                {
                    var response = await current.GetAsync("/", timeout.Token);
                    if (response.StatusCode != 200)
                    {
                        results.Add(new RequestResult(sentAt, Outcome.OtherError, $"status {response.StatusCode}"));
                    }
                    else
                    {
                        Interlocked.Increment(ref _answered);
                        results.Add(new RequestResult(sentAt, response.ConnectionClose ? Outcome.OkConnectionClose : Outcome.Ok));
                    }
                    if (response.ConnectionClose)
                    {
                        connection.Dispose();
                        connection = null;
                    }
                }
                catch (ClosedBeforeResponseException e)
                {
                    results.Add(new RequestResult(sentAt, reused ? Outcome.ClosedWithoutNotice : Outcome.FreshConnectionClosed, e.Message));
                    current.Dispose();
                    connection = null;
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or FormatException)
                {
                    results.Add(new RequestResult(sentAt, Outcome.OtherError, e.Message));
                    current.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
        return results;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
