using System.Collections.Concurrent;

namespace Lameduck.Cli.Lab.Sessions;

/// <summary>
/// Holds <see cref="SessionSettings.Count"/> sessions of each protocol open through the ingress until stopped. When a
/// session ends, its client reconnects at once through the ingress (to whatever replica it picks), retrying every
/// <see cref="SessionSettings.RetryPause"/> until an attempt becomes a session, and the pool records the end, the
/// replica that took the session back, and the gap.
/// </summary>
/// <example>
/// <code>
/// var pool = new SessionPool(settings, ingress.Address, () => events.Now, runner.HasExited);
/// var result = await pool.RunAsync(stop);   // returns once stop fires and every session is closed
/// Console.WriteLine($"{result.Count(SessionOutcome.Cut)} cut, max gap {result.GapMax}");
/// </code>
/// </example>
/// <param name="settings">The sessions to hold.</param>
/// <param name="address">The ingress they go through.</param>
/// <param name="clock">The lab's clock, for the records.</param>
/// <param name="replicaGone">
/// True for a replica whose process has exited (the lab's pods by name). When the run is over, a session on such a
/// replica is not closed: its connection is being cut (the last old pod's SIGKILL ends the rollout, and so the run,
/// in the instant its sessions are being reset), and it gets the wind-down to see that, so it is reported cut, not
/// "open at the end". Null: every session closes when the run is over.
/// </param>
public sealed class SessionPool(SessionSettings settings, Uri address, Func<TimeSpan> clock, Func<string, bool>? replicaGone = null)
{
    private readonly ConcurrentQueue<SessionRecord> _ended = new();
    private readonly ConcurrentDictionary<string, int> _failed = new();
    private readonly TaskCompletionSource _allOpen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _opened;
    private int _firstOpened;

    /// <summary>Sessions established so far.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>How many sessions the pool holds (<see cref="SessionSettings.Count"/> per protocol).</summary>
    public int Size => settings.Count * settings.Protocols.Count;

    /// <summary>
    /// Completes when every session has been established once: the lab starts its load, and the clock of its rollout,
    /// only then, so that every session is on an old pod when the rollout begins.
    /// </summary>
    public Task AllOpen => _allOpen.Task;

    /// <summary>
    /// Holds the sessions until <paramref name="stop"/> fires, then closes them and reports. A session that is being
    /// reconnected when the run is over, or is still open on a replica that has exited (its cut is on its way: see
    /// the constructor's <c>replicaGone</c>), gets up to <see cref="SessionSettings.Timeout"/> more to end and get its
    /// session back, so the report has the end of every session the rollout cut and of every reconnection that caused.
    /// <paramref name="abort"/> (Ctrl-C) ends everything at once, that wait included.
    /// </summary>
    public async Task<SessionsResult> RunAsync(CancellationToken stop, CancellationToken abort = default)
    {
        using var over = CancellationTokenSource.CreateLinkedTokenSource(stop, abort);
        using var windDown = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var afterStop = over.Token.Register(() => windDown.CancelAfter(settings.Timeout));
        var holders = settings.Protocols
            .SelectMany(protocol => Enumerable.Range(1, settings.Count).Select(number => Task.Run(() => HoldAsync(protocol, number, over.Token, windDown.Token), CancellationToken.None)))
            .ToArray();
        var openAtEnd = (await Task.WhenAll(holders).ConfigureAwait(false)).Count(open => open);
        return new SessionsResult(settings, _ended.OrderBy(r => r.End.At).ToArray(), Opened, openAtEnd,
            new Dictionary<string, int>(_failed));
    }

    /// <summary>One session, reconnected as often as it ends; true when it was open when the lab stopped.</summary>
    private async Task<bool> HoldAsync(SessionProtocol protocol, int number, CancellationToken stop, CancellationToken windDown)
    {
        using var client = SessionClient.Create(protocol, settings, clock);
        SessionEnd? previous = null;
        TimeSpan previousConnectedAt = default;
        int attempts = 0;
        string? lastFailure = null;
        bool everOpen = false;
        while (true)
        {
            // Once the run is over only a reconnection goes on, until the wind-down ends.
            bool reconnecting = previous is not null;
            var limit = reconnecting ? windDown : stop;
            if (limit.IsCancellationRequested) break;
            attempts++;
            TimeSpan connectedAt = default;
            int established = 0;
            string? on = null;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(windDown);
            // When the run is over: a first attempt not yet established stops, a reconnection goes on, and a session
            // that is up closes at once, unless its replica has exited (it is being cut: let it see that).
            using var closeAtStop = stop.Register(() =>
            {
                bool up = Volatile.Read(ref established) == 1;
                if (up ? !IsGone(Volatile.Read(ref on)) : !reconnecting) attempt.Cancel();
            });
            var end = await client.RunAsync(address, replica =>
            {
                Volatile.Write(ref on, replica);
                connectedAt = clock();
                Interlocked.Increment(ref _opened);
                if (!everOpen)
                {
                    everOpen = true;
                    if (Interlocked.Increment(ref _firstOpened) == Size) _allOpen.TrySetResult();
                }
                if (previous is not null)
                {
                    _ended.Enqueue(new SessionRecord(protocol, number, previousConnectedAt, previous, replica, connectedAt, attempts, lastFailure));
                    previous = null;
                }
                Interlocked.Exchange(ref established, 1);
                if (stop.IsCancellationRequested && !IsGone(replica)) attempt.Cancel();
            }, attempt.Token).ConfigureAwait(false);
            if (end.Established)
            {
                if (end.Outcome == SessionOutcome.Stopped) return true;
                // Reconnect at once, like an app's onclose handler.
                previous = end;
                previousConnectedAt = connectedAt;
                attempts = 0;
                lastFailure = null;
                continue;
            }
            if (end.Outcome == SessionOutcome.Stopped) break;
            lastFailure = end.Replica is { } r ? $"{end.Reason} from {r}" : end.Reason;
            _failed.AddOrUpdate(end.Reason, 1, (_, n) => n + 1);
            try
            {
                await Task.Delay(settings.RetryPause, limit).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (previous is not null)
            _ended.Enqueue(new SessionRecord(protocol, number, previousConnectedAt, previous, null, null, attempts, lastFailure));
        return false;
    }

    private bool IsGone(string? replica) => replica is not null && replicaGone?.Invoke(replica) == true;
}
