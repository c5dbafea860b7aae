using Lameduck.Cli.Verify.Attack.Http1;

namespace Lameduck.Cli.Tests.Verify.Attack.Http1;

/// <summary>
/// The descriptor table is grown before a run, in this very process: the kernel's own figure (FDSize in
/// /proc/self/status, the slots the table holds) must cover the reservation, and no descriptor may be left open.
/// </summary>
public class FileDescriptorTableTests
{
    [Fact]
    public void Reserve_grows_the_kernels_table_and_leaves_no_descriptor_open()
    {
        // The probes duplicate this descriptor: a file no one else opens, so the descriptors left pointing at it
        // count exactly what Reserve left open, whatever the tests running beside this one open and close (counting
        // all of /proc/self/fd failed once in a full run: 459 open after, 457 before).
        var path = Path.Combine(Path.GetTempPath(), $"lameduck-fd-anchor-{Guid.NewGuid():N}");
        using var anchor = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        int fd = (int)anchor.SafeFileHandle.DangerousGetHandle();
        Assert.Equal(1, DescriptorsOpenOn(path));
        // Beyond the table this test process grew to by itself, and within the soft RLIMIT_NOFILE.
        int extra = (int)Math.Min(Math.Max(2 * FdSize(), 4096), SoftLimit() / 2);

        int highest = FileDescriptorTable.Reserve(fd, extra);

        Assert.True(highest >= extra, $"reserved up to descriptor {highest}, wanted at least {extra} (RLIMIT_NOFILE too low here?)");
        Assert.True(FdSize() > highest, $"the kernel's table holds {FdSize()} slots after reserving descriptor {highest}");
        Assert.Equal(1, DescriptorsOpenOn(path));
    }

    /// <summary>How many of this process's descriptors point at <paramref name="path"/>.</summary>
    private static int DescriptorsOpenOn(string path) => Directory.GetFiles("/proc/self/fd").Count(link =>
    {
        try { return new FileInfo(link).LinkTarget == path; }
        catch (IOException) { return false; } // closed between listing and reading
    });

    [Fact]
    public void Reserve_beyond_the_descriptor_limit_settles_for_what_the_limit_allows()
    {
        using var anchor = File.OpenRead("/proc/self/status");
        int fd = (int)anchor.SafeFileHandle.DangerousGetHandle();

        int highest = FileDescriptorTable.Reserve(fd, int.MaxValue / 4);

        Assert.True(highest >= SoftLimit() / 2, $"settled for descriptor {highest}, far below RLIMIT_NOFILE {SoftLimit()}");
        Assert.True(highest < SoftLimit(), $"descriptor {highest} is beyond RLIMIT_NOFILE {SoftLimit()}");
    }

    private static int FdSize() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("FDSize:", StringComparison.Ordinal))["FDSize:".Length..].Trim());

    private static long SoftLimit()
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return long.Parse(line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
    }
}
