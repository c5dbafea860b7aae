namespace Lameduck.Init.Drain;

/// <summary>The kernel's socket tables could not be read through sock_diag; the message says what failed.</summary>
internal sealed class SockDiagException(string message) : Exception(message);
