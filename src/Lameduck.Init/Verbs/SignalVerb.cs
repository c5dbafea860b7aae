using System.Runtime.InteropServices;
using Lameduck.Contract.Init;
using Lameduck.Contract.Signals;
using Lameduck.Init.Native;

namespace Lameduck.Init.Verbs;

/// <summary>
/// <c>lameduck-init signal --after 1s QUIT 1</c>: the write-ups' preStop <c>sleep 1; kill -QUIT 1</c>
/// without a shell (grammar: <see cref="InitVerbs"/>). Exit 0 when sent, 1 when the process does not exist or may not be signalled.
/// </summary>
internal static class SignalVerb
{
    public static int Run(IReadOnlyList<string> args)
    {
        var line = InitVerbs.ParseSignal(args);
        Thread.Sleep(line.After);
        if (ProcessSignals.Send(line.Pid, line.Signal)) return 0;
        StandardStream.Error.WriteLine($"lameduck-init: signal: cannot send {SignalTable.Name(line.Signal)} to {line.Pid}: {Libc.ErrorText(Marshal.GetLastPInvokeError())}");
        return 1;
    }
}
