using System.Diagnostics;

namespace Lameduck.Init.Tests.Support;

/// <summary>
/// A wrapper that runs a command where sock_diag is unavailable, as in sandboxes without it (gVisor, some
/// seccomp profiles): a seccomp filter makes <c>socket(AF_NETLINK, ...)</c> fail with EAFNOSUPPORT, then the
/// command is exec'd. Compiled once with gcc (installed with the NativeAOT toolchain, scripts/install-deps.sh).
/// </summary>
internal static class NoSockDiag
{
    private const string Source = """
        #include <errno.h>
        #include <linux/audit.h>
        #include <linux/filter.h>
        #include <linux/seccomp.h>
        #include <stddef.h>
        #include <stdio.h>
        #include <sys/prctl.h>
        #include <sys/socket.h>
        #include <sys/syscall.h>
        #include <unistd.h>

        int main(int argc, char **argv) {
            struct sock_filter filter[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAFNOSUPPORT),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
            };
            struct sock_fprog program = { .len = sizeof filter / sizeof filter[0], .filter = filter };
            if (argc < 2) { fprintf(stderr, "usage: no-sock-diag COMMAND [ARGS...]\n"); return 2; }
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
                perror("no-sock-diag: seccomp"); return 1;
            }
            execvp(argv[1], argv + 1);
            perror("no-sock-diag: exec"); return 127;
        }
        """;

    private static readonly Lazy<string> Built = new(Build);

    /// <summary>Path of the compiled wrapper: <c>no-sock-diag COMMAND [ARGS...]</c>.</summary>
    public static string Path => Built.Value;

    private static string Build()
    {
        var dir = Directory.CreateTempSubdirectory("lameduck-no-sock-diag-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        var source = System.IO.Path.Combine(dir, "no-sock-diag.c");
        var binary = System.IO.Path.Combine(dir, "no-sock-diag");
        File.WriteAllText(source, Source);
        using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-O2", "-Wall", "-Werror", "-o", binary, source]) { RedirectStandardError = true })!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0) throw new InvalidOperationException($"gcc could not build the no-sock-diag wrapper:\n{errors}");
        return binary;
    }
}
