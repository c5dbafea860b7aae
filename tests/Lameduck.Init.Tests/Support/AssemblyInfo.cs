// The code under test is Linux-only (posix_spawn, /proc, Linux signal numbers), and so are these tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
