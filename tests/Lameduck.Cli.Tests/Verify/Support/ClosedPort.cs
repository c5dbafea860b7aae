namespace Lameduck.Cli.Tests.Verify.Support;

/// <summary>
/// A loopback port nobody listens on: the lab's <see cref="Lameduck.Cli.Lab.Replicas.FreePort"/> (bound by the OS, then
/// released, and never one it handed out recently, so a test's closed port is not a replica's).
/// </summary>
public static class ClosedPort
{
    public static int Find() => Lameduck.Cli.Lab.Replicas.FreePort.Next();
}
