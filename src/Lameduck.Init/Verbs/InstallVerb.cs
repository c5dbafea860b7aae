using Lameduck.Init.Options;
using Lameduck.Contract.Init;

namespace Lameduck.Init.Verbs;

/// <summary>
/// <c>lameduck-init install /lameduck</c>: copies this binary into a directory (an emptyDir shared with the
/// app container), so an init container can run from a scratch image that has no shell and no cp.
/// </summary>
internal static class InstallVerb
{
    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count != 1) throw new InitUsageException("install takes one directory, e.g. lameduck-init install /lameduck");
        var directory = args[0];
        if (!Directory.Exists(directory)) throw new InitUsageException($"install: directory '{directory}' does not exist");
        var self = Environment.ProcessPath ?? throw new InitUsageException("install: cannot find this program's own path");
        var target = Path.Combine(directory, "lameduck-init");
        File.Copy(self, target, overwrite: true);
        File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101); // rwxr-xr-x
        return 0;
    }
}
