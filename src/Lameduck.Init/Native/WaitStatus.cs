using Lameduck.Contract.Signals;
namespace Lameduck.Init.Native;

/// <summary>Decodes a <c>waitpid</c> status word the way shells report it (WIFEXITED/WIFSIGNALED macros).</summary>
internal readonly record struct WaitStatus(int Raw)
{
    public bool Exited => (Raw & 0x7f) == 0;

    public bool Signaled => !Exited && (Raw & 0x7f) != 0x7f;

    public int ExitCode => (Raw >> 8) & 0xff;

    public int TermSignal => Raw & 0x7f;

    /// <summary>Exit code as a shell gives it: the code, or 128 + signal number when a signal ended the process.</summary>
    public int ShellCode => Exited ? ExitCode : Signaled ? 128 + TermSignal : 1;

    public override string ToString() => Exited
        ? $"exited with code {ExitCode}"
        : $"killed by {SignalTable.Name(TermSignal)}";
}
