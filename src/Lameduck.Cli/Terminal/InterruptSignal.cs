using System.Runtime.InteropServices;

namespace Lameduck.Cli.Terminal;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation the command handles itself, so it can finish in-flight
/// work and write its reports instead of dying. While registered the process does not exit on those signals.
/// </summary>
/// <example>
/// <code>
/// using var interrupt = InterruptSignal.Register();
/// await DoWorkAsync(interrupt.Token);   // Ctrl-C cancels the token
/// </code>
/// </example>
public sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    private InterruptSignal()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];
    }

    /// <summary>Cancelled on the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>The signal received, if any.</summary>
    public PosixSignal? Received { get; private set; }

    /// <summary>Starts handling SIGINT and SIGTERM.</summary>
    public static InterruptSignal Register() => new();

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // keep running: the command stops on its own terms
        Received ??= context.Signal;
        _cts.Cancel();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _cts.Dispose();
    }
}
